"""Reviews: the record of each editor's decision on a claim's status."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.choices import (
    CheckItem,
    ClaimStatus,
    DisputeReason,
    check_field,
    checklist_values_valid,
)
from claims.models.claims import Claim
from lootwatch import text_limits
from lootwatch.append_only import AppendOnlyQuerySet
from lootwatch.constraints import ChecksInOneQuery
from lootwatch.text_limits import bounded_text


class Review(ChecksInOneQuery, models.Model):
    """One editor's decision on a claim's status, with the reason, the checks behind it
    (the checklist) and, for a dispute, its reason code. Never edited or deleted: all of it
    is written in the one INSERT that records the decision."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("claim")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("reviewer"),
    )
    from_status = models.CharField(
        max_length=20, choices=ClaimStatus.choices, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=20, choices=ClaimStatus.choices, verbose_name=_("to status")
    )
    note = bounded_text(
        text_limits.REASON,
        help_text=_("Why: what was checked and what it showed."),
        verbose_name=_("note"),
    )
    source_authenticity = check_field(CheckItem.SOURCE_AUTHENTICITY)
    content_provenance = check_field(CheckItem.CONTENT_PROVENANCE)
    geolocation = check_field(CheckItem.GEOLOCATION)
    chronolocation = check_field(CheckItem.CHRONOLOCATION)
    consistency = check_field(CheckItem.CONSISTENCY)
    dispute_reason = models.CharField(
        max_length=30, choices=DisputeReason.choices, blank=True, verbose_name=_("dispute reason")
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    # Database triggers refuse UPDATE and DELETE too (claims/migrations, append_only).
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
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
