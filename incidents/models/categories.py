"""The two-level taxonomy of property taken, with stable slugs partners filter by."""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lootwatch import text_limits
from lootwatch.text_limits import bounded_text


class ItemCategoryQuerySet(models.QuerySet):
    def in_tree_order(self):
        """Categories as every picker lists them: each top category followed by its
        subcategories (Vehicles, Vehicles › Cars, Vehicles › Trucks, Electronics, …), each
        level by name."""
        return (
            self.select_related("parent")
            .annotate(
                branch=Coalesce("parent__name", "name"),
                level=Case(When(parent__isnull=True, then=Value(0)), default=Value(1)),
            )
            .order_by("branch", "level", "name", "pk")
        )


class ItemCategory(models.Model):
    """A kind of property taken, in a two-level taxonomy with stable slugs."""

    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=120, verbose_name=_("name"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("parent"),
    )
    description = bounded_text(text_limits.NOTE, blank=True, verbose_name=_("description"))

    history = HistoricalRecords()
    objects = ItemCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("item category")
        ordering = ["parent__name", "name"]
        verbose_name_plural = _("item categories")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message="A category cannot be its own parent.",
            ),
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.display_name} › {self.display_name}"
        return self.display_name

    @property
    def display_name(self):
        """The name in the active language: the seeded categories are translated
        (SEEDED_NAMES); one an editor adds reads as it was written."""
        return gettext(self.name)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.parent_id:
            raise ValidationError(
                {"parent": gettext("Categories have two levels: pick a top category.")}
            )
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError(
                {
                    "parent": gettext(
                        "This category has subcategories, so it must stay at the top level."
                    )
                }
            )

    def self_and_descendant_ids(self):
        """Return the ids of this category and its subcategories (filters include children)."""
        return [self.pk, *self.children.values_list("pk", flat=True)]


# The names the data migration seeds (incidents/migrations/0002_item_categories.py), marked
# so that makemessages puts them in the catalogue; ItemCategory.display_name translates them.
SEEDED_NAMES = [
    gettext_noop("Vehicles"), gettext_noop("Cars"), gettext_noop("Trucks and vans"),
    gettext_noop("Motorcycles and bicycles"), gettext_noop("Electronics"),
    gettext_noop("Phones and tablets"), gettext_noop("Computers"),
    gettext_noop("Televisions and audio"), gettext_noop("Household appliances"),
    gettext_noop("Washing machines"), gettext_noop("Refrigerators"),
    gettext_noop("Small appliances"), gettext_noop("Jewellery and valuables"),
    gettext_noop("Cash"), gettext_noop("Furniture and carpets"), gettext_noop("Furniture"),
    gettext_noop("Carpets"), gettext_noop("Clothing and shoes"), gettext_noop("Cosmetics"),
    gettext_noop("Children's toys"), gettext_noop("Food and alcohol"),
    gettext_noop("Industrial goods"), gettext_noop("Grain and agricultural produce"),
    gettext_noop("Agricultural machinery"), gettext_noop("Medical supplies"),
    gettext_noop("Cultural property"), gettext_noop("Artworks"), gettext_noop("Museum objects"),
    gettext_noop("Archives"), gettext_noop("Religious objects"), gettext_noop("Other"),
]  # fmt: skip
