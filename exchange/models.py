"""Dataset releases: immutable, citable snapshots of what partners see."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lootwatch.append_only import AppendOnlyQuerySet

version_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$",
    "Use letters, digits, dots, hyphens and underscores, e.g. 2026.1 or v1.0.0.",
)


class Release(models.Model):
    """One published version of the dataset: its files (stored under
    ``releases/<version>/`` in the default storage) are listed in ``manifest`` with their
    size and SHA-256, and ``manifest_sha256`` is the hash of the stored manifest.json.
    Written once by exchange.services.make_release, never changed or deleted (database
    triggers refuse it, as for reviews)."""

    version = models.CharField(
        max_length=40, unique=True, validators=[version_validator], verbose_name=_("version")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    notes = models.TextField(blank=True, max_length=5000, verbose_name=_("notes"))
    manifest = models.JSONField(verbose_name=_("manifest"))
    manifest_sha256 = models.CharField(max_length=64, verbose_name=_("manifest sha256"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-created_at", "-pk"]
        permissions = [("make_release", "Can make a dataset release")]

    def __str__(self):
        return f"Lootwatch dataset {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A release is never changed once made.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A release is never deleted.")

    @property
    def counts(self):
        return self.manifest.get("counts", {})

    @property
    def files(self):
        return self.manifest.get("files", [])


class ImportState(models.TextChoices):
    CHECKING = "checking", "Checking (dry run)"
    CHECKED = "checked", "Checked: waiting for confirmation"
    REFUSED = "refused", "Refused: the file has problems"
    QUEUED = "queued", "Confirmed: waiting for a worker"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed while importing"


class ImportRun(models.Model):
    """A file an editor uploaded in the admin: checked by a dry run on a worker, then, once
    the editor confirmed the preview, imported on a worker (exchange.services)."""

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id")
    )
    file_name = models.CharField(max_length=255, verbose_name=_("file name"))
    # Kept in the database only until the run is done, refused or failed (then emptied): it
    # is small (IMPORT_MAX_UPLOAD_BYTES), may hold what only staff may see, no URL serves it.
    content = models.BinaryField(blank=True, verbose_name=_("content"))
    options = models.JSONField(default=dict, verbose_name=_("options"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    state = models.CharField(
        max_length=20,
        choices=ImportState.choices,
        default=ImportState.CHECKING,
        verbose_name=_("state"),
    )
    report = models.TextField(blank=True, verbose_name=_("report"))
    # What the report lists, for the admin: {"incidents": [{"line", "title", "id",
    # "outcome"}], "duplicates": ["line N: …"]} (exchange.importing.ImportReport).
    details = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display().lower()})"


class StaffExport(models.Model):
    """One export of staff-only fields (protected witnesses' names, exact homes, internal
    notes), from the admin or export_incidents --staff: who, how, what and how many. Written
    by exchange.services.record_staff_export before the first byte leaves; never changed or
    deleted (database triggers refuse it, as for custody events)."""

    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for export_incidents run without --as (a shell on the server)."),
        verbose_name=_("exported by"),
    )
    via = models.CharField(
        max_length=20, choices=[("admin", "admin"), ("command", "command")], verbose_name=_("via")
    )
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("at"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff export")
        verbose_name_plural = _("staff exports")
        ordering = ["-at", "-pk"]
        permissions = [
            (
                "export_staff_data",
                "Can export staff-only fields (protected identities, exact homes, notes)",
            )
        ]

    def __str__(self):
        return f"staff export via {self.via} at {self.at:%Y-%m-%d %H:%M:%S}"
