"""What was taken in an incident: a category, optional words and a quantity range."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.models.categories import ItemCategory
from lootwatch.constraints import ChecksInOneQuery


def quantity_range(low, high):
    """A quantity range as people write it, the one spelling pages, admin and exports use:
    "27" (exactly), "100–999", "10–?" (at least ten), "" when neither end is known."""
    if low is None and high is None:
        return ""
    if low == high:
        return str(low)
    return f"{'?' if low is None else low}–{'?' if high is None else high}"


class IncidentItem(ChecksInOneQuery, models.Model):
    """What was taken in an incident: a category, optional words, optional quantity range.

    "Hundreds of cars" is category vehicles, description "cars", quantity 100–999.
    """

    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("incident"),
    )
    category = models.ForeignKey(
        ItemCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    description = models.CharField(max_length=300, blank=True, verbose_name=_("description"))
    quantity_min = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("quantity min")
    )
    quantity_max = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("quantity max")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident item")
        verbose_name_plural = _("incident items")
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
