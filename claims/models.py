import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# The vocabularies live in claims.choices; they are imported here, where callers have
# always found them.
from claims.choices import (  # noqa: F401
    CheckItem,
    CheckResult,
    ClaimStatus,
    CustodyAction,
    DisputeReason,
    EvidenceKind,
    Medium,
    SourceKind,
    check_field,
    checklist_values_valid,
)
from claims.evidence.storage import (
    evidence_derivative_path,
    evidence_original_path,
    originals_storage,
)
from incidents.models import Incident, country_code_validator

# BCP 47 language tags as used in practice: "uk", "en", "ru", "en-GB", "zh-Hant".
language_tag_validator = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "Use a language code such as uk, ru, en or en-GB.",
)


class Source(models.Model):
    """Who makes claims: a ministry, a spokesperson, a news outlet, a witness."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=SourceKind.choices)
    country = models.CharField(max_length=2, blank=True, validators=[country_code_validator])
    url = models.CharField(
        "URL or handle", max_length=500, blank=True, help_text="e.g. https://twitter.com/DefenceU"
    )
    organisation = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=(
            "The organisation this source speaks for. Sources of one organisation (two "
            "ministries of one government) are not independent of each other."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message="Unknown source kind.",
            ),
            models.CheckConstraint(
                condition=~Q(organisation=F("pk")),
                name="%(app_label)s_%(class)s_not_own_organisation",
                violation_error_message="A source cannot be its own organisation.",
            ),
        ]

    def __str__(self):
        return self.name


class ClaimQuerySet(models.QuerySet):
    def live(self):
        """Claims that have not been withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Claim(models.Model):
    """One sourced assertion behind an incident: who said what, where and when.

    A claim's status changes only through claims.services.review_claim, which writes a
    Review row for every decision.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="claims")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    medium = models.CharField(max_length=30, choices=Medium.choices)
    url = models.URLField("URL", max_length=2000, blank=True, db_index=True)
    archived_url = models.URLField(
        "archived URL", max_length=2000, blank=True, help_text="e.g. a Wayback Machine copy."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        max_length=35,
        validators=[language_tag_validator],
        help_text="Language of the original text, e.g. uk, ru, en.",
    )
    original_text = models.TextField(help_text="The quote, in its original language.")
    translation = models.TextField(blank=True, help_text="English translation, if needed.")
    translated_by = models.CharField(
        max_length=200, blank=True, help_text="Who translated it: a person or an outlet."
    )
    reported_via = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relays",
        help_text="The claim through which this one is known, e.g. the press report quoting it.",
    )
    status = models.CharField(
        max_length=20,
        choices=ClaimStatus.choices,
        default=ClaimStatus.UNVERIFIED,
        editable=False,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    dispute_reason = models.CharField(
        max_length=30, choices=DisputeReason.choices, blank=True, editable=False
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
    )
    assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    internal_notes = models.TextField(
        blank=True, help_text="For staff only; never shown to partners."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims_submitted"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ClaimQuerySet.as_manager()

    class Meta:
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
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.source} ({self.get_medium_display()})"

    def get_absolute_url(self):
        return reverse("incidents:detail", kwargs={"public_id": self.incident.public_id})

    def clean(self):
        if self.reported_via_id and self.reported_via_id == self.pk:
            raise ValidationError({"reported_via": "A claim cannot be reported via itself."})
        if self.translation and not self.translated_by:
            raise ValidationError({"translated_by": "Say who translated the text."})


class Review(models.Model):
    """One editor's decision on a claim's status, with the reason, the checks behind it
    (the checklist) and, for a dispute, its reason code. Never edited or deleted: all of it
    is written in the one INSERT that records the decision."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    from_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    note = models.TextField(help_text="Why: what was checked and what it showed.")
    source_authenticity = check_field(CheckItem.SOURCE_AUTHENTICITY)
    content_provenance = check_field(CheckItem.CONTENT_PROVENANCE)
    geolocation = check_field(CheckItem.GEOLOCATION)
    chronolocation = check_field(CheckItem.CHRONOLOCATION)
    consistency = check_field(CheckItem.CONSISTENCY)
    dispute_reason = models.CharField(max_length=30, choices=DisputeReason.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="%(app_label)s_%(class)s_changes_status",
                violation_error_message="A review must change the claim's status.",
            ),
            models.CheckConstraint(
                condition=Q(from_status__in=ClaimStatus.values)
                & Q(to_status__in=ClaimStatus.values),
                name="%(app_label)s_%(class)s_statuses_valid",
                violation_error_message="Unknown claim status.",
            ),
            models.CheckConstraint(
                condition=~Q(note=""),
                name="%(app_label)s_%(class)s_has_note",
                violation_error_message="A review needs a note saying why.",
            ),
            models.CheckConstraint(
                condition=checklist_values_valid(),
                name="%(app_label)s_%(class)s_checklist_valid",
                violation_error_message="Unknown checklist result.",
            ),
            models.CheckConstraint(
                condition=Q(dispute_reason="")
                | Q(to_status=ClaimStatus.DISPUTED, dispute_reason__in=DisputeReason.values),
                name="%(app_label)s_%(class)s_dispute_reason_only_on_disputes",
                violation_error_message="Only a dispute has a dispute reason.",
            ),
        ]

    def __str__(self):
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{self.from_status} → {self.to_status} by {self.reviewer} at {when}"

    def save(self, *args, **kwargs):
        # Reviews are the record of who decided what: once written, they stay as written.
        if not self._state.adding:
            raise ValidationError("Reviews cannot be changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Reviews cannot be deleted.")

    @property
    def checklist(self):
        """The checks recorded with this decision, item → result, in checklist order;
        empty for a review recorded before checklists existed."""
        recorded = {item: getattr(self, item) for item in CheckItem.values}
        return recorded if any(recorded.values()) else {}


class EvidenceQuerySet(models.QuerySet):
    def same_file(self, sha256):
        """Evidence holding the file with this SHA-256 digest, on any claim."""
        return self.filter(sha256=sha256)


class Evidence(models.Model):
    """A file attached to a claim, kept byte-for-byte as received.

    The original lives in private storage that no URL serves. Pages and partners only see
    the derivatives, which carry no metadata (no GPS, no device). The same file attached to
    several claims is stored once: each Evidence row points at the one original.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    original = models.FileField(
        upload_to=evidence_original_path,
        storage=originals_storage,
        max_length=300,
    )
    original_filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    metadata = models.JSONField(
        default=dict, blank=True, help_text="Read from the original: EXIF, capture time, GPS."
    )
    display = models.ImageField(upload_to=evidence_derivative_path, blank=True, max_length=300)
    thumbnail = models.ImageField(upload_to=evidence_derivative_path, blank=True, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence_uploaded"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"
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

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="custody")
    action = models.CharField(max_length=20, choices=CustodyAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody_events",
        help_text="Empty for actions of the system itself (a scheduled hash check).",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
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
