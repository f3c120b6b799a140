import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import Case, Count, F, FilteredRelation, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", "Use a two-letter ISO 3166-1 country code in capitals, e.g. UA."
)

# Two decimal places of latitude are about 1.1 km; enough to place an incident in a
# neighbourhood without leading anyone to a victim's door.
PUBLIC_COORDINATE_STEP = Decimal("0.01")


class PlacePrecision(models.TextChoices):
    EXACT = "exact", "Exact (a building or address)"
    SETTLEMENT = "settlement", "Settlement"
    DISTRICT = "district", "District"
    REGION = "region", "Region"
    COUNTRY = "country", "Country"


class Place(models.Model):
    """A location incidents happen at, from a single house to a whole country."""

    name = models.CharField(max_length=200)
    alternative_names = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings and transliterations, e.g. Narowlya, Наровля.",
    )
    country = models.CharField(
        max_length=2,
        validators=[country_code_validator],
        help_text="ISO 3166-1 alpha-2, e.g. UA.",
    )
    admin1 = models.CharField("region / oblast", max_length=200, blank=True)
    admin2 = models.CharField("district / raion", max_length=200, blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    precision = models.CharField(
        max_length=20, choices=PlacePrecision.choices, default=PlacePrecision.SETTLEMENT
    )
    exact_location_public = models.BooleanField(
        default=False,
        help_text=(
            "Only for places of exact precision: publish the exact coordinates instead of "
            "rounding them to about 1 km. Leave off for homes."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=Q(precision__in=PlacePrecision.values),
                name="%(app_label)s_%(class)s_precision_valid",
                violation_error_message="Unknown place precision.",
            ),
        ]
        indexes = [models.Index(fields=["country", "admin1"])]

    def __str__(self):
        region = f", {self.admin1}" if self.admin1 else ""
        return f"{self.name}{region} ({self.country})"

    @property
    def location_is_rounded(self):
        """Return True if partners and maps must see this place rounded to about 1 km."""
        return self.precision == PlacePrecision.EXACT and not self.exact_location_public

    @property
    def public_name(self):
        """The name as it may be published. A withheld exact location is named by its
        district or region only, since a home's name is often its street address."""
        if not self.location_is_rounded:
            return self.name
        area = ", ".join(part for part in (self.admin2, self.admin1) if part) or self.country
        return f"Location withheld, {area}"

    @property
    def public_alternative_names(self):
        return [] if self.location_is_rounded else self.alternative_names

    def public_coordinates(self):
        """Return (latitude, longitude) as they may be published."""
        latitude, longitude = Decimal(self.latitude), Decimal(self.longitude)
        if not self.location_is_rounded:
            return latitude, longitude
        return (
            latitude.quantize(PUBLIC_COORDINATE_STEP, ROUND_HALF_UP),
            longitude.quantize(PUBLIC_COORDINATE_STEP, ROUND_HALF_UP),
        )


class ActorKind(models.TextChoices):
    ARMED_FORCES = "armed_forces", "Armed forces"
    UNIT = "unit", "Military unit"
    PARAMILITARY = "paramilitary", "Paramilitary"
    PMC = "private_military_company", "Private military company"
    INDIVIDUAL = "individual", "Individual"
    UNKNOWN = "unknown", "Unknown"


class Actor(models.Model):
    """An alleged perpetrator: an army, a unit within it, a group or a person."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=ActorKind.choices, default=ActorKind.UNKNOWN)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The formation this actor belongs to, e.g. the army a unit is part of.",
    )
    country = models.CharField(max_length=2, blank=True, validators=[country_code_validator])

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActorKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message="Unknown actor kind.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message="An actor cannot be its own parent.",
            ),
        ]

    def __str__(self):
        return self.name


class ItemCategory(models.Model):
    """A kind of property taken, in a two-level taxonomy with stable slugs."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name_plural = "item categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message="A category cannot be its own parent.",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Categories have two levels: pick a top category."})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This category has subcategories, so it must stay at the top level."}
            )

    def self_and_descendant_ids(self):
        """Return the ids of this category and its subcategories (filters include children)."""
        return [self.pk, *self.children.values_list("pk", flat=True)]


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    RANGE = "range", "Somewhere in the range"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Assessment(models.TextChoices):
    """How well an incident's claims hold up, derived from their review status."""

    UNVERIFIED = "unverified", "Unverified"
    SINGLE_SOURCE = "single_source", "Single source"
    CORROBORATED = "corroborated", "Corroborated"
    CONTESTED = "contested", "Contested"
    DISPUTED = "disputed", "Disputed"


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

    def with_summary(self, claim_filter=None):
        """Annotate each incident with its verification summary and assessment.

        One aggregate over the claims join: a whole page of incidents costs one query.
        Withdrawn claims do not count. Sources speaking for the same organisation (two
        ministries of one government) count as one independent source.

        ``claim_filter``, a Q over ``claims__``, narrows the claims counted further: partners
        pass claims.selectors.visible_claims_of_incident(), so a claim waiting for an editor
        does not show in their counts; the pages count every live claim.
        """
        from claims.models import ClaimStatus

        live = Q(claims__withdrawn_at__isnull=True)
        if claim_filter is not None:
            live &= claim_filter
        verified = live & Q(claims__status=ClaimStatus.VERIFIED)
        return self.annotate(
            claims_total=Count("claims", filter=live, distinct=True),
            claims_verified=Count("claims", filter=verified, distinct=True),
            claims_disputed=Count(
                "claims", filter=live & Q(claims__status=ClaimStatus.DISPUTED), distinct=True
            ),
            claims_unverified=Count(
                "claims", filter=live & Q(claims__status=ClaimStatus.UNVERIFIED), distinct=True
            ),
            independent_sources=Count(
                Coalesce("claims__source__organisation_id", "claims__source_id"),
                filter=verified,
                distinct=True,
            ),
        ).annotate(
            assessment=Case(
                When(claims_verified=0, claims_disputed=0, then=Value(Assessment.UNVERIFIED)),
                When(claims_verified=0, then=Value(Assessment.DISPUTED)),
                When(claims_disputed__gt=0, then=Value(Assessment.CONTESTED)),
                When(independent_sources__gte=2, then=Value(Assessment.CORROBORATED)),
                default=Value(Assessment.SINGLE_SOURCE),
                output_field=models.CharField(max_length=20),
            )
        )

    def search(self, text, claim_filter=None):
        """Full-text search over titles, summaries and the texts of live claims.

        PostgreSQL's full-text search (any word order) where available; on SQLite, every
        word must appear somewhere in those fields. Withdrawn claims are left out, or a
        partner could learn what one said by probing with its words; ``claim_filter`` (a Q
        over ``claims__``, as in with_summary) leaves out more, e.g. claims partners may
        not see.
        """
        text = (text or "").strip()
        if not text:
            return self
        condition = Q(claims__withdrawn_at__isnull=True)
        if claim_filter is not None:
            condition &= claim_filter
        with_live_claims = Incident.objects.annotate(
            live_claims=FilteredRelation("claims", condition=condition)
        )
        if connection.vendor == "postgresql":
            vector = SearchVector(
                "title",
                "summary",
                "live_claims__original_text",
                "live_claims__translation",
                config="simple",
            )
            query = SearchQuery(text, search_type="websearch", config="simple")
            matching = with_live_claims.annotate(search=vector).filter(search=query)
        else:
            condition = Q()
            for word in text.split():
                condition &= (
                    Q(title__icontains=word)
                    | Q(summary__icontains=word)
                    | Q(live_claims__original_text__icontains=word)
                    | Q(live_claims__translation__icontains=word)
                )
            matching = with_live_claims.filter(condition)
        return self.filter(pk__in=matching.values("pk"))

    def in_category(self, category):
        """Incidents with an item in this category or one of its subcategories."""
        ids = category.self_and_descendant_ids()
        return self.filter(pk__in=IncidentItem.objects.filter(category__in=ids).values("incident"))


class Incident(models.Model):
    """An alleged act of looting: where, when, what was taken and by whom, allegedly.

    Nothing here is asserted on its own: an incident stands on its claims, and its
    assessment is derived from their review status (see IncidentQuerySet.with_summary).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="incidents")
    occurred_from = models.DateField()
    occurred_to = models.DateField()
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.RANGE
    )
    actors = models.ManyToManyField(
        Actor, blank=True, related_name="incidents", verbose_name="alleged actors"
    )
    status = models.CharField(
        max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.DRAFT
    )
    internal_notes = models.TextField(
        blank=True, help_text="For staff only; never shown to partners."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawal_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        help_text="Set when this incident was withdrawn as a duplicate of another.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = IncidentQuerySet.as_manager()

    class Meta:
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
        ]
        indexes = [
            models.Index(fields=["status", "occurred_from"]),
            models.Index(fields=["occurred_to"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("incidents:detail", kwargs={"public_id": self.public_id})


def quantity_range(low, high):
    """A quantity range as people write it, the one spelling pages, admin and exports use:
    "27" (exactly), "100–999", "10–?" (at least ten), "" when neither end is known."""
    if low is None and high is None:
        return ""
    if low == high:
        return str(low)
    return f"{'?' if low is None else low}–{'?' if high is None else high}"


class IncidentItem(models.Model):
    """What was taken in an incident: a category, optional words, optional quantity range.

    "Hundreds of cars" is category vehicles, description "cars", quantity 100–999.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(ItemCategory, on_delete=models.PROTECT, related_name="items")
    description = models.CharField(max_length=300, blank=True)
    quantity_min = models.PositiveIntegerField(null=True, blank=True)
    quantity_max = models.PositiveIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_min__isnull=True)
                | Q(quantity_max__isnull=True)
                | Q(quantity_max__gte=F("quantity_min")),
                name="%(app_label)s_%(class)s_quantity_range_in_order",
                violation_error_message="The maximum quantity is below the minimum.",
            ),
        ]

    def __str__(self):
        text = self.description or self.category.name
        quantity = self.quantity
        return f"{text} ({quantity})" if quantity else text

    @property
    def quantity(self):
        """The quantity as people write it: "27", "100–999", "10–?"; "" when unknown."""
        return quantity_range(self.quantity_min, self.quantity_max)
