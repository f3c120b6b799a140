"""Incidents: alleged acts of looting, their editorial state, and the verification summary
derived from their claims."""

import uuid

from django.conf import settings
from django.db import connection, models
from django.db.models import F, FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.models.actors import Actor
from incidents.models.items import IncidentItem
from incidents.models.places import Place, PlacePrecision
from incidents.models.routes import LinkKind, LinkRole
from lootwatch import text_limits
from lootwatch.constraints import ChecksInOneQuery
from lootwatch.text_limits import bounded_text
from lootwatch.validators import plausible_date


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    RANGE = "range", _("Somewhere in the range")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Assessment(models.TextChoices):
    """How well an incident's claims hold up, derived from their review status."""

    UNVERIFIED = "unverified", _("Unverified")
    SINGLE_SOURCE = "single_source", _("Single source")
    CORROBORATED = "corroborated", _("Corroborated")
    CONTESTED = "contested", _("Contested")
    DISPUTED = "disputed", _("Disputed")


# The order of ``ordering=assessment``: from the least supported to the best supported.
ASSESSMENT_ORDER = (
    Assessment.DISPUTED,
    Assessment.CONTESTED,
    Assessment.UNVERIFIED,
    Assessment.SINGLE_SOURCE,
    Assessment.CORROBORATED,
)
ASSESSMENT_RANK = {assessment: rank for rank, assessment in enumerate(ASSESSMENT_ORDER)}


# The stored summary's columns (see Incident), kept out of the history.
SUMMARY_FIELDS = (
    "summary_claims",
    "summary_verified",
    "summary_disputed",
    "summary_unverified",
    "summary_sources",
    "summary_assessment",
    "summary_rank",
)


class IncidentQuerySet(models.QuerySet):
    """Annotations and searches over incidents. Who may see which incidents is decided in
    incidents.rules and read through incidents.selectors, never here."""

    def mark_changed(self):
        """Move the ``updated_at`` of these incidents to now, for partners' mirrors.

        For a change of what partners see of an incident that does not save the incident
        row: a claim reviewed, added, edited or withdrawn, evidence attached, items changed,
        or an edit of a place, actor or source the incident shows. A plain ``update()`` is
        right here, unlike for audited content: ``updated_at`` is excluded from the history
        and is not content (the version stays), and one statement avoids loading and saving
        hundreds of incidents.
        """
        return self.update(updated_at=timezone.now())

    def search(self, text, *, document, claim_filter=None):
        """Full-text search over titles, summaries, place names and the texts of live claims.

        On PostgreSQL, the indexed search documents (incidents.models.search): ``document``
        is ``"staff"`` or ``"partners"``, the document of the audience searching, which
        leaves out what that audience may not find (withdrawn claims for everyone; for
        partners, claims awaiting an editor and the names of homes), or a partner could
        learn what such a claim says by probing with its words. Words match in any of the
        documents' languages, in any order.

        On SQLite, every word must appear somewhere in the title, summary, place name (not
        a home's for partners) or the texts of the live claims ``claim_filter`` (a Q over
        ``claims__``, as in incidents.selectors.with_summary) leaves in.
        """
        text = (text or "").strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            if document not in ("staff", "partners"):
                raise ValueError(f"No search document {document!r}.")
            from incidents.models.search import document_query

            return self.filter(**{f"search_document__{document}": document_query(text)})
        condition = Q(claims__withdrawn_at__isnull=True)
        if claim_filter is not None:
            condition &= claim_filter
        with_live_claims = Incident.objects.annotate(
            live_claims=FilteredRelation("claims", condition=condition)
        )
        named = Q()
        if document == "partners":
            named = ~Q(place__precision=PlacePrecision.EXACT, place__exact_location_public=False)
        condition = Q()
        for word in text.split():
            condition &= (
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | (Q(place__name__icontains=word) & named)
                | Q(live_claims__original_text__icontains=word)
                | Q(live_claims__translation__icontains=word)
            )
        return self.filter(pk__in=with_live_claims.filter(condition).values("pk"))

    def in_category(self, category):
        """Incidents with an item in this category or one of its subcategories."""
        ids = category.self_and_descendant_ids()
        return self.filter(pk__in=IncidentItem.objects.filter(category__in=ids).values("incident"))


class Incident(ChecksInOneQuery, models.Model):
    """An alleged act of looting: where, when, what was taken and by whom, allegedly.

    Nothing here is asserted on its own: an incident stands on its claims, and its
    assessment is derived from their review status (see incidents.selectors.with_summary).
    """

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    summary = bounded_text(text_limits.NOTE, blank=True, verbose_name=_("summary"))
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("place")
    )
    occurred_from = models.DateField(validators=[plausible_date], verbose_name=_("occurred from"))
    occurred_to = models.DateField(validators=[plausible_date], verbose_name=_("occurred to"))
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.RANGE,
        verbose_name=_("date precision"),
    )
    actors = models.ManyToManyField(
        Actor, blank=True, related_name="incidents", verbose_name=_("alleged actors")
    )
    status = models.CharField(
        max_length=20,
        choices=IncidentStatus.choices,
        default=IncidentStatus.DRAFT,
        verbose_name=_("status"),
    )
    internal_notes = bounded_text(
        text_limits.NOTE,
        blank=True,
        help_text=_("For staff only; never shown to partners."),
        verbose_name=_("internal notes"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="incidents_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("updated at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    publication_reason = bounded_text(
        text_limits.REASON,
        blank=True,
        help_text=_("Why the editor published it, e.g. “Two independent sources verified”."),
        verbose_name=_("publication reason"),
    )
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("withdrawn at")
    )
    withdrawal_reason = bounded_text(
        text_limits.REASON, blank=True, verbose_name=_("withdrawal reason")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        help_text=_("Set when this incident was withdrawn as a duplicate of another."),
        verbose_name=_("merged into"),
    )
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    # The verification summary as partners see it (incidents.selectors.with_summary over the
    # claims partners may see once the incident is published), stored so that a page of
    # incidents costs what the page costs, not what the table does. Written only by
    # claims.services.summaries, in the transaction of every change to a claim's status,
    # visibility or incident; `recompute_summaries` reports and repairs any drift. Derived
    # data, not content: left out of the history, like ``updated_at``.
    summary_claims = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("summary claims")
    )
    summary_verified = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("summary verified")
    )
    summary_disputed = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("summary disputed")
    )
    summary_unverified = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("summary unverified")
    )
    summary_sources = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("Independent sources of the verified claims."),
        verbose_name=_("summary sources"),
    )
    summary_assessment = models.CharField(
        max_length=20,
        choices=Assessment.choices,
        default=Assessment.UNVERIFIED,
        editable=False,
        verbose_name=_("summary assessment"),
    )
    summary_rank = models.PositiveSmallIntegerField(
        default=ASSESSMENT_RANK[Assessment.UNVERIFIED],
        editable=False,
        help_text=_("The assessment's place in ASSESSMENT_ORDER, for ordering by assessment."),
        verbose_name=_("summary rank"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at", *SUMMARY_FIELDS])
    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_from", "-pk"]
        permissions = [
            ("publish_incident", "Can publish and withdraw incidents"),
            ("merge_incidents", "Can merge duplicate incidents"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_to__gte=F("occurred_from")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message="The end of the date range is before its start.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=IncidentStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message="Unknown incident status.",
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="%(app_label)s_%(class)s_date_precision_valid",
                violation_error_message="Unknown date precision.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="%(app_label)s_%(class)s_version_positive",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="%(app_label)s_%(class)s_not_merged_into_itself",
                violation_error_message="An incident cannot be merged into itself.",
            ),
            models.CheckConstraint(
                condition=~Q(status=IncidentStatus.WITHDRAWN) | Q(withdrawn_at__isnull=False),
                name="%(app_label)s_%(class)s_withdrawn_has_time",
                violation_error_message="A withdrawn incident needs its withdrawal time.",
            ),
            models.CheckConstraint(
                condition=Q(summary_assessment__in=Assessment.values),
                name="%(app_label)s_%(class)s_summary_assessment_valid",
                violation_error_message="Unknown assessment.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "occurred_from"]),
            # The pages' order (newest first): a page of a search or of the list is read
            # off this index, however many incidents there are.
            models.Index(F("occurred_from").desc(), F("id").desc(), name="incident_newest_first"),
            models.Index(fields=["occurred_to"]),
            # Partners' pages, walked in order from the cursor (keyset pagination), over
            # published incidents only: one per ordering the API offers, and one for the
            # assessment filter under the default ordering. bench/RESULTS.md has the plans.
            models.Index(
                fields=["-occurred_from", "-public_id"],
                condition=Q(status=IncidentStatus.PUBLISHED),
                name="incident_published_occurred",
            ),
            models.Index(
                fields=["updated_at", "public_id"],
                condition=Q(status=IncidentStatus.PUBLISHED),
                name="incident_published_updated",
            ),
            models.Index(
                fields=["created_at", "public_id"],
                condition=Q(status=IncidentStatus.PUBLISHED),
                name="incident_published_created",
            ),
            models.Index(
                fields=["summary_rank", "public_id"],
                condition=Q(status=IncidentStatus.PUBLISHED),
                name="incident_published_rank",
            ),
            models.Index(
                fields=["summary_assessment", "-occurred_from", "-public_id"],
                condition=Q(status=IncidentStatus.PUBLISHED),
                name="incident_published_assessment",
            ),
            # A reader's own drafts, which the unfiltered map counts beside the listed
            # incidents (incidents.map_grid): read from the index alone, not from every
            # incident the reader ever logged.
            models.Index(
                fields=["created_by", "place"],
                condition=Q(status=IncidentStatus.DRAFT),
                name="incident_own_drafts",
            ),
            # The deletions feed, in its order.
            models.Index(
                fields=["withdrawn_at", "public_id"],
                condition=Q(status=IncidentStatus.WITHDRAWN, published_at__isnull=False),
                name="incident_withdrawn_feed",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("incidents:detail", kwargs={"public_id": self.public_id})

    def linked_incidents(self):
        """Return (incident, kind, role) for each link of this incident, seen from here:
        ``kind`` is a LinkKind, ``role`` what the linked incident is to this one (a
        LinkRole), destinations first. Reads the links as loaded:
        incidents.selectors.route_and_links leaves out the incidents the reader may not see."""
        return [
            (link.destination, LinkKind(link.kind), LinkRole.DESTINATION)
            for link in self.links_to_destinations.all()
        ] + [
            (link.origin, LinkKind(link.kind), LinkRole.ORIGIN)
            for link in self.links_to_origins.all()
        ]
