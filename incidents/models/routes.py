"""Where the goods went: the route of places an incident's goods were taken to, and links
between incidents that follow the same goods (a home looted, the market selling its loot).

Both are part of an incident's content: they are written by incidents.services.log_incident
and edit_incident only, with history, like the items taken.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.models.places import Place

# The earliest date a route point may carry: as for incidents and claims, anything older is a
# typing mistake (a year of 0022), not a record of this war.
EARLIEST_DATE = datetime.date(1900, 1, 1)
# The most points one route takes: more is a mistake, or several incidents.
MAX_ROUTE_POINTS = 20


def validate_plausible_date(value):
    """Refuse dates before 1900 and dates in the future."""
    if value < EARLIEST_DATE:
        raise ValidationError(_("Give a date in 1900 or later."), code="too_early")
    if value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="in_future")


class RoutePoint(models.Model):
    """A place where an incident's goods were taken, in order after the incident's place.

    "Buryn → towards the Russian border" is an incident at Buryn with one route point.
    Each point has its own place (with that place's precision), an optional date range, a
    note of how it is known, and the claims of the incident that support it.
    """

    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.CASCADE,
        related_name="route_points",
        verbose_name=_("incident"),
    )
    position = models.PositiveSmallIntegerField(
        help_text=_("1 for the first place the goods were taken to, 2 for the next, …"),
        verbose_name=_("position"),
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="route_points", verbose_name=_("place")
    )
    date_from = models.DateField(
        _("there from"), null=True, blank=True, validators=[validate_plausible_date]
    )
    date_to = models.DateField(
        _("there until"), null=True, blank=True, validators=[validate_plausible_date]
    )
    note = models.CharField(
        _("how it is known"),
        max_length=500,
        blank=True,
        help_text=(
            _(
                "e.g. “tracked by the dealer's GPS”, “reported by the ministry”. Shown to "
                "partners: never name a witness here."
            )
        ),
    )
    # Declared here rather than on Claim so that the route stays one piece of the incident's
    # content, written and recorded in one place; claims.Claim is not imported (claims build
    # on incidents, not the other way round).
    supporting_claims = models.ManyToManyField(
        "claims.Claim",
        blank=True,
        related_name="supported_route_points",
        help_text=_("The claims of this incident that say the goods were taken here."),
        verbose_name=_("supporting claims"),
    )

    history = HistoricalRecords(m2m_fields=[supporting_claims])

    class Meta:
        verbose_name = _("route point")
        verbose_name_plural = _("route points")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "position"],
                name="%(app_label)s_%(class)s_one_point_per_position",
                violation_error_message="Two points of this route are at the same position.",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="%(app_label)s_%(class)s_position_positive",
                violation_error_message="Route positions start at 1.",
            ),
            models.CheckConstraint(
                condition=Q(date_from__isnull=True, date_to__isnull=True)
                | Q(date_from__isnull=False, date_to__isnull=False, date_to__gte=F("date_from")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message=(
                    "Give both ends of the date range, the end not before the start (or neither)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.place}"


class LinkKind(models.TextChoices):
    """What happened to an incident's goods at the linked incident (a market, a depot, a
    column of trucks), as the sources report it."""

    SOLD_AT = "sold_at", _("sold at")
    STORED_AT = "stored_at", _("stored at")
    CARRIED_BY = "carried_by", _("carried by")


class LinkRole(models.TextChoices):
    """What a linked incident is to the incident it is seen from."""

    DESTINATION = "destination", _("where its goods were taken")
    ORIGIN = "origin", _("where the goods were taken from")


class IncidentLink(models.Model):
    """Goods taken in one incident (the origin) reported at another (the destination): the
    homes looted in the Kyiv suburbs and the market in Narowlya selling their loot.

    Seen from the origin, the destination is where its goods went; seen from the
    destination, the origin is where its goods came from.
    """

    origin = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.CASCADE,
        related_name="links_to_destinations",
        verbose_name=_("origin"),
    )
    destination = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.CASCADE,
        related_name="links_to_origins",
        verbose_name=_("destination"),
    )
    kind = models.CharField(max_length=20, choices=LinkKind.choices, verbose_name=_("kind"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident link")
        verbose_name_plural = _("incident links")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "destination"],
                name="%(app_label)s_%(class)s_one_link_per_pair",
                violation_error_message="These incidents are already linked.",
            ),
            models.CheckConstraint(
                condition=~Q(origin=F("destination")),
                name="%(app_label)s_%(class)s_not_to_itself",
                violation_error_message="An incident cannot be linked to itself.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LinkKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message="Unknown kind of link.",
            ),
        ]

    def __str__(self):
        return f"{self.origin} → {self.get_kind_display()} {self.destination}"
