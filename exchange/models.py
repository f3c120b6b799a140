"""Dataset releases: immutable, citable snapshots of what partners see."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

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

    version = models.CharField(max_length=40, unique=True, validators=[version_validator])
    created_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True, max_length=5000)
    manifest = models.JSONField()
    manifest_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
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

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(max_length=255)
    # Kept in the database only until the run is done, refused or failed (then emptied): it
    # is small (IMPORT_MAX_UPLOAD_BYTES), may hold what only staff may see, no URL serves it.
    content = models.BinaryField(blank=True)
    options = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=20, choices=ImportState.choices, default=ImportState.CHECKING
    )
    report = models.TextField(blank=True)
    # What the report lists, for the admin: {"incidents": [{"line", "title", "id",
    # "outcome"}], "duplicates": ["line N: …"]} (exchange.importing.ImportReport).
    details = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import"

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
        help_text="Empty for export_incidents run without --as (a shell on the server).",
    )
    via = models.CharField(max_length=20, choices=[("admin", "admin"), ("command", "command")])
    at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        permissions = [
            (
                "export_staff_data",
                "Can export staff-only fields (protected identities, exact homes, notes)",
            )
        ]

    def __str__(self):
        return f"staff export via {self.via} at {self.at:%Y-%m-%d %H:%M:%S}"
