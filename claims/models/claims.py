"""Claims: one sourced assertion behind an incident, and its translation."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.choices import ClaimStatus, DisputeReason, Medium, TranslatorKind
from claims.models.sources import Source
from incidents.models import Incident
from lootwatch import text_limits
from lootwatch.constraints import ChecksInOneQuery
from lootwatch.text_limits import bounded_text
from lootwatch.validators import plausible_date

# BCP 47 language tags as used in practice: "uk", "en", "ru", "en-GB", "zh-Hant".
language_tag_validator = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "Use a language code such as uk, ru, en or en-GB.",
)


# What a claim says and where it was said: what the pages, the admin and an import set.
STATED_FIELDS = (
    "source",
    "medium",
    "url",
    "archived_url",
    "published_at",
    "language",
    "original_text",
    "translation",
    "translated_by",
    "translator_kind",
)


class ClaimQuerySet(models.QuerySet):
    def live(self):
        """Claims that have not been withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Claim(ChecksInOneQuery, models.Model):
    """One sourced assertion behind an incident: who said what, where and when.

    A claim's status changes only through claims.services.review_claim, which writes a
    Review row for every decision.
    """

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id")
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="claims", verbose_name=_("incident")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="claims", verbose_name=_("source")
    )
    medium = models.CharField(max_length=30, choices=Medium.choices, verbose_name=_("medium"))
    url = models.URLField(_("URL"), max_length=2000, blank=True, db_index=True)
    archived_url = models.URLField(
        _("archived URL"), max_length=2000, blank=True, help_text=_("e.g. a Wayback Machine copy.")
    )
    published_at = models.DateTimeField(
        null=True, blank=True, validators=[plausible_date], verbose_name=_("published at")
    )
    language = models.CharField(
        max_length=35,
        validators=[language_tag_validator],
        help_text=_("Language of the original text, e.g. uk, ru, en."),
        verbose_name=_("language"),
    )
    original_text = bounded_text(
        text_limits.STATEMENT,
        help_text=_("The quote, in its original language."),
        verbose_name=_("original text"),
    )
    translation = bounded_text(
        text_limits.STATEMENT,
        blank=True,
        help_text=_("English translation, if needed."),
        verbose_name=_("translation"),
    )
    translated_by = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who translated it: a person or an outlet."),
        verbose_name=_("translated by"),
    )
    translator_kind = models.CharField(
        _("translator is"),
        max_length=20,
        choices=TranslatorKind.choices,
        blank=True,
        help_text=_(
            "Partners see the translator's name only when it is an outlet or organisation."
        ),
    )
    reported_via = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relays",
        help_text=_("The claim through which this one is known, e.g. the press report quoting it."),
        verbose_name=_("reported via"),
    )
    status = models.CharField(
        max_length=20,
        choices=ClaimStatus.choices,
        default=ClaimStatus.UNVERIFIED,
        editable=False,
        verbose_name=_("status"),
    )
    status_changed_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("status changed at")
    )
    dispute_reason = models.CharField(
        max_length=30,
        choices=DisputeReason.choices,
        blank=True,
        editable=False,
        verbose_name=_("dispute reason"),
    )
    # Taken by an editor for review, so that two editors do not review the same claim. An
    # assignment lapses by itself (claims.rules.ASSIGNMENT_LIFETIME); only the assignment
    # services write these.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="claims_assigned",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("assigned at")
    )
    internal_notes = bounded_text(
        text_limits.NOTE,
        blank=True,
        help_text=_("For staff only; never shown to partners."),
        verbose_name=_("internal notes"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="claims_submitted",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("updated at"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))
    withdrawal_reason = bounded_text(
        text_limits.REASON, blank=True, verbose_name=_("withdrawal reason")
    )
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["published_at", "pk"]
        permissions = [("review_claim", "Can verify or dispute claims")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message="Unknown claim status.",
            ),
            models.CheckConstraint(
                condition=Q(medium__in=Medium.values),
                name="%(app_label)s_%(class)s_medium_valid",
                violation_error_message="Unknown medium.",
            ),
            models.CheckConstraint(
                condition=~Q(reported_via=F("pk")),
                name="%(app_label)s_%(class)s_not_reported_via_itself",
                violation_error_message="A claim cannot be reported via itself.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="%(app_label)s_%(class)s_version_positive",
            ),
            models.CheckConstraint(
                condition=~Q(original_text=""),
                name="%(app_label)s_%(class)s_has_text",
                violation_error_message="A claim needs the text of what was said.",
            ),
            models.CheckConstraint(
                condition=Q(translator_kind="") | Q(translator_kind__in=TranslatorKind.values),
                name="%(app_label)s_%(class)s_translator_kind_valid",
                violation_error_message="Unknown kind of translator.",
            ),
            models.CheckConstraint(
                condition=Q(translation="") | ~Q(translator_kind=""),
                name="%(app_label)s_%(class)s_translation_has_translator_kind",
                violation_error_message=(
                    "Say whether the translator is an outlet, Lootwatch staff or another person."
                ),
            ),
            models.UniqueConstraint(
                fields=["incident", "url"],
                condition=~Q(url=""),
                name="%(app_label)s_%(class)s_url_unique_per_incident",
                violation_error_message="This URL is already a claim of this incident.",
            ),
            models.CheckConstraint(
                condition=Q(dispute_reason="")
                | Q(status=ClaimStatus.DISPUTED, dispute_reason__in=DisputeReason.values),
                name="%(app_label)s_%(class)s_dispute_reason_only_when_disputed",
                violation_error_message="Only a disputed claim has a dispute reason.",
            ),
            models.CheckConstraint(
                condition=Q(assigned_to__isnull=True, assigned_at__isnull=True)
                | Q(assigned_to__isnull=False, assigned_at__isnull=False),
                name="%(app_label)s_%(class)s_assignment_has_time",
                violation_error_message="A claim taken for review needs the time it was taken.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # The partners' claims list, walked in its default order (-created_at, then id)
            # from the cursor instead of sorting every visible claim.
            models.Index(
                fields=["-created_at", "-public_id"],
                condition=Q(withdrawn_at__isnull=True),
                name="claim_live_created",
            ),
            models.Index(
                fields=["updated_at", "public_id"],
                condition=Q(withdrawn_at__isnull=True),
                name="claim_live_updated",
            ),
            # The deletions feed: the few withdrawn claims, in the feed's order.
            models.Index(
                fields=["withdrawn_at", "public_id"],
                condition=Q(withdrawn_at__isnull=False),
                name="claim_withdrawn",
            ),
        ]

    def __str__(self):
        return f"{self.source} ({self.get_medium_display()})"

    def get_absolute_url(self):
        return reverse("incidents:detail", kwargs={"public_id": self.incident.public_id})

    def clean(self):
        if self.reported_via_id and self.reported_via_id == self.pk:
            raise ValidationError(
                {"reported_via": gettext("A claim cannot be reported via itself.")}
            )
        if self.translation and not self.translated_by:
            raise ValidationError({"translated_by": gettext("Say who translated the text.")})
        if self.translation and not self.translator_kind:
            raise ValidationError(
                {
                    "translator_kind": gettext(
                        "Say whether the translator is an outlet or organisation, Lootwatch "
                        "staff or another person."
                    )
                }
            )
