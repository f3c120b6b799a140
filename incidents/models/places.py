"""Places incidents happen at (and, later, goods are taken to), from a house to a country."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lootwatch.constraints import ChecksInOneQuery
from lootwatch.countries import validate_country_code

# Every country code is checked against ISO 3166-1 (pycountry), not only its shape.
country_code_validator = validate_country_code

# Two decimal places of latitude are about 1.1 km; enough to place an incident in a
# neighbourhood without leading anyone to a victim's door.
PUBLIC_COORDINATE_STEP = Decimal("0.01")


# What describes a place, as a journalist types it and partners read it (rounded for homes).
PLACE_DESCRIPTION_FIELDS = (
    "name",
    "alternative_names",
    "country",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "precision",
)


class PlacePrecision(models.TextChoices):
    EXACT = "exact", _("Exact (a building or address)")
    SETTLEMENT = "settlement", _("Settlement")
    DISTRICT = "district", _("District")
    REGION = "region", _("Region")
    COUNTRY = "country", _("Country")


class PlaceQuerySet(models.QuerySet):
    def matching(self, text):
        """Places whose name or region contains ``text`` (any case), those whose name begins
        with it first, then by name. On PostgreSQL, trigram indexes (pg_trgm,
        incidents/migrations/0011) answer this without reading every place."""
        return (
            self.filter(Q(name__icontains=text) | Q(admin1__icontains=text))
            .annotate(
                name_begins=Case(When(name__istartswith=text, then=Value(0)), default=Value(1))
            )
            .order_by("name_begins", "name", "pk")
        )

    def resembling(self, text):
        """Places whose name is within a typo or two of ``text`` ("Hostomil" finds Hostomel),
        most alike first: pg_trgm's similarity, through the same trigram index. None on
        SQLite."""
        if connection.vendor != "postgresql":
            return self.none()
        # The same expression as the index, so that the index answers it.
        name, text = Upper("name"), Value(text.upper())
        return (
            self.filter(TrigramSimilar(name, text))
            .annotate(likeness=TrigramSimilarity(name, text))
            .order_by("-likeness", "name", "pk")
        )


class Place(ChecksInOneQuery, models.Model):
    """A location incidents happen at, from a single house to a whole country."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    alternative_names = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Other spellings and transliterations, e.g. Narowlya, Наровля."),
        verbose_name=_("alternative names"),
    )
    country = models.CharField(
        max_length=2,
        validators=[country_code_validator],
        help_text=_("ISO 3166-1 alpha-2, e.g. UA."),
        verbose_name=_("country"),
    )
    admin1 = models.CharField(_("region / oblast"), max_length=200, blank=True)
    admin1_code = models.CharField(
        _("region code"),
        max_length=6,
        blank=True,
        editable=False,
        help_text=(
            _(
                "ISO 3166-2 code of the region, read from its name by the services "
                "(incidents.gazetteer.region_code): Kyiv Oblast, Київська область and UA-32 "
                "are one region for filters."
            )
        ),
    )
    admin2 = models.CharField(_("district / raion"), max_length=200, blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        verbose_name=_("latitude"),
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        verbose_name=_("longitude"),
    )
    precision = models.CharField(
        max_length=20,
        choices=PlacePrecision.choices,
        default=PlacePrecision.SETTLEMENT,
        verbose_name=_("precision"),
    )
    exact_location_public = models.BooleanField(
        default=False,
        help_text=(
            _(
                "Only for places of exact precision: publish the exact coordinates instead of "
                "rounding them to about 1 km. Leave off for homes."
            )
        ),
        verbose_name=_("exact location public"),
    )

    history = HistoricalRecords()
    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
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
        indexes = [
            models.Index(fields=["country", "admin1"]),
            models.Index(fields=["admin1_code"], name="incidents_place_admin1_code"),
        ]

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


class PlaceListing(models.Model):
    """How many incidents at a place every journalist sees on the map unfiltered
    (submitted and published ones): written only by a PostgreSQL trigger on incidents
    (incidents.map_grid), read by the map's groups. Empty on SQLite."""

    place = models.OneToOneField(
        Place,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("place"),
    )
    n = models.IntegerField(default=0, verbose_name=_("n"))

    class Meta:
        verbose_name = _("place listing")
        verbose_name_plural = _("place listings")
        db_table = "incidents_place_listed"

    def __str__(self):
        return f"{self.n} incidents listed at place {self.place_id}"


class WeekListing(models.Model):
    """How many incidents that began in a week (from its Monday) every journalist sees on
    the timeline unfiltered (submitted and published ones): written only by a PostgreSQL
    trigger on incidents (incidents.week_counts), read by the timeline. Empty on SQLite."""

    week = models.DateField(primary_key=True, verbose_name=_("week"))
    n = models.IntegerField(default=0, verbose_name=_("n"))

    class Meta:
        verbose_name = _("week listing")
        verbose_name_plural = _("week listings")
        db_table = "incidents_week_listed"

    def __str__(self):
        return f"{self.week}: {self.n}"


class CellListing(models.Model):
    """How many incidents every journalist sees on the map unfiltered lie in a cell of the
    grid (1/8 of a degree, at the places' published positions), and the sums of their
    latitudes and longitudes: written only by PostgreSQL triggers on the per-place counts
    and on places (incidents.map_cells), read by the map's groups. Empty on SQLite."""

    cx = models.IntegerField(verbose_name=_("cell column"))
    cy = models.IntegerField(verbose_name=_("cell row"))
    n = models.IntegerField(default=0, verbose_name=_("n"))
    lat_sum = models.DecimalField(
        max_digits=30, decimal_places=6, default=0, verbose_name=_("latitude sum")
    )
    lon_sum = models.DecimalField(
        max_digits=30, decimal_places=6, default=0, verbose_name=_("longitude sum")
    )

    class Meta:
        verbose_name = _("cell listing")
        verbose_name_plural = _("cell listings")
        db_table = "incidents_cell_listed"
        constraints = [
            models.UniqueConstraint(fields=["cx", "cy"], name="incidents_celllisting_one_per_cell")
        ]

    def __str__(self):
        return f"{self.n} incidents listed in cell ({self.cx}, {self.cy})"
