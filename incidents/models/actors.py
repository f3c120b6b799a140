"""Alleged perpetrators: armed forces, the units within them, groups and people."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.models.places import country_code_validator
from lootwatch.constraints import ChecksInOneQuery


class ActorKind(models.TextChoices):
    ARMED_FORCES = "armed_forces", _("Armed forces")
    UNIT = "unit", _("Military unit")
    PARAMILITARY = "paramilitary", _("Paramilitary")
    PMC = "private_military_company", _("Private military company")
    INDIVIDUAL = "individual", _("Individual")
    UNKNOWN = "unknown", _("Unknown")


class Actor(ChecksInOneQuery, models.Model):
    """An alleged perpetrator: an army, a unit within it, a group or a person."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    kind = models.CharField(
        max_length=30, choices=ActorKind.choices, default=ActorKind.UNKNOWN, verbose_name=_("kind")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The formation this actor belongs to, e.g. the army a unit is part of."),
        verbose_name=_("parent"),
    )
    country = models.CharField(
        max_length=2, blank=True, validators=[country_code_validator], verbose_name=_("country")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
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
