"""Evidence files attached to claims, and their chain of custody."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.choices import CustodyAction, EvidenceKind
from claims.evidence.storage import (
    evidence_derivative_path,
    evidence_original_path,
    originals_storage,
)
from claims.models.claims import Claim
from lootwatch.append_only import AppendOnlyQuerySet
from lootwatch.constraints import ChecksInOneQuery


class EvidenceQuerySet(models.QuerySet):
    def same_file(self, sha256):
        """Evidence holding the file with this SHA-256 digest, on any claim."""
        return self.filter(sha256=sha256)


class Evidence(ChecksInOneQuery, models.Model):
    """A file attached to a claim, kept byte-for-byte as received.

    The original lives in private storage that no URL serves. Pages and partners only see
    the derivatives, which carry no metadata (no GPS, no device). The same file attached to
    several claims is stored once: each Evidence row points at the one original.
    """

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("claim")
    )
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices, verbose_name=_("kind"))
    original = models.FileField(
        upload_to=evidence_original_path,
        storage=originals_storage,
        max_length=300,
        verbose_name=_("original"),
    )
    original_filename = models.CharField(
        max_length=255, blank=True, verbose_name=_("original filename")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(verbose_name=_("size bytes"))
    content_type = models.CharField(max_length=100, verbose_name=_("content type"))
    width = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("width"))
    height = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("height"))
    metadata = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Read from the original: EXIF, capture time, GPS."),
        verbose_name=_("metadata"),
    )
    display = models.ImageField(
        upload_to=evidence_derivative_path, blank=True, max_length=300, verbose_name=_("display")
    )
    thumbnail = models.ImageField(
        upload_to=evidence_derivative_path, blank=True, max_length=300, verbose_name=_("thumbnail")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evidence_uploaded",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(default=timezone.now, verbose_name=_("uploaded at"))

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = _("evidence")
        permissions = [("download_original", "Can download original evidence files")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "sha256"],
                name="%(app_label)s_%(class)s_unique_file_per_claim",
                violation_error_message="This file is already attached to this claim.",
            ),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64),
                name="%(app_label)s_%(class)s_sha256_length",
                violation_error_message="A SHA-256 digest is 64 hexadecimal characters.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message="Unknown evidence kind.",
            ),
            models.CheckConstraint(
                condition=Q(size_bytes__gt=0),
                name="%(app_label)s_%(class)s_not_empty",
                violation_error_message="An evidence file cannot be empty.",
            ),
            models.CheckConstraint(
                condition=Q(width__isnull=True, height__isnull=True) | Q(width__gt=0, height__gt=0),
                name="%(app_label)s_%(class)s_dimensions_together",
                violation_error_message="An image has both a width and a height.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sha256[:12]}"

    @property
    def has_derivatives(self):
        """True if there is a display image or thumbnail that pages may show."""
        return bool(self.display or self.thumbnail)

    @property
    def is_page_capture(self):
        return self.kind == EvidenceKind.PAGE_CAPTURE


class CustodyEvent(models.Model):
    """One entry in an evidence file's chain of custody. Never edited or deleted."""

    evidence = models.ForeignKey(
        Evidence, on_delete=models.PROTECT, related_name="custody", verbose_name=_("evidence")
    )
    action = models.CharField(
        max_length=20, choices=CustodyAction.choices, verbose_name=_("action")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody_events",
        help_text=_("Empty for actions of the system itself (a scheduled hash check)."),
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("at"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    # Database triggers refuse UPDATE and DELETE too (claims/migrations, append_only).
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=CustodyAction.values),
                name="%(app_label)s_%(class)s_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Custody events cannot be changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Custody events cannot be deleted.")
