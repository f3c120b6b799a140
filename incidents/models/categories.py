"""The two-level taxonomy of property taken, with stable slugs partners filter by."""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
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
    description = bounded_text(text_limits.NOTE, blank=True)

    history = HistoricalRecords()
    objects = ItemCategoryQuerySet.as_manager()

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
