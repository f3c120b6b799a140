"""The editors' admin for places, actors and item categories: the reference data incidents
point at. Edits go through incidents.services, which keep history and tell partners'
mirrors of every incident showing the record that it changed."""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from incidents import services as incident_services
from incidents.models import Actor, Incident, ItemCategory, Place
from lootwatch.admin_base import CountryAdminMixin, HistoryAdmin, changed_model_fields


@admin.register(Place)
class PlaceAdmin(CountryAdminMixin, HistoryAdmin):
    list_display = [
        "name",
        "country_column",
        "admin1",
        "admin2",
        "precision",
        "latitude",
        "longitude",
    ]
    list_filter = ["country", "precision", "exact_location_public"]
    search_fields = ["name", "alternative_names", "admin1", "admin2"]

    def save_model(self, request, obj, form, change):
        # Through the services: an edit must also reach partners' mirrors of every
        # incident at this place (e.g. an exact location made private).
        if not change:
            incident_services.create_place(place=obj, created_by=request.user)
            return
        incident_services.update_place(
            place=obj, editor=request.user, fields=changed_model_fields(form)
        )


@admin.register(Actor)
class ActorAdmin(CountryAdminMixin, HistoryAdmin):
    list_display = ["name", "kind", "parent", "country_column"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]

    def get_deleted_objects(self, objs, request):
        # An incident names its actors through a many-to-many table, which Django empties
        # on delete: the incidents would lose their actors with no history and no change
        # partners' mirrors could see. An actor still named is protected, as a place or a
        # source still used is by its foreign key.
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        naming = Incident.objects.filter(actors__in=objs).distinct().order_by("pk")
        label = capfirst(Incident._meta.verbose_name)
        protected = [*protected, *(f"{label}: {incident}" for incident in naming)]
        return to_delete, model_count, perms_needed, protected

    def save_model(self, request, obj, form, change):
        if not change:
            incident_services.create_actor(actor=obj, created_by=request.user)
            return
        incident_services.update_actor(
            actor=obj, editor=request.user, fields=changed_model_fields(form)
        )


@admin.register(ItemCategory)
class ItemCategoryAdmin(HistoryAdmin):
    list_display = ["name_column", "slug", "parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description=_("name"), ordering="name")
    def name_column(self, category):
        """The name in the page's language, as every picker shows it (a seeded category is
        translated); the form edits the name as stored."""
        return category.display_name

    def get_queryset(self, request):
        # The list and the item inlines' category search list them nested, as every picker.
        return ItemCategory.objects.in_tree_order()

    def get_readonly_fields(self, request, obj=None):
        # Slugs are what partners filter by; renaming one would break their queries.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def save_model(self, request, obj, form, change):
        if not change:
            incident_services.create_category(category=obj, created_by=request.user)
            return
        incident_services.update_category(
            category=obj, editor=request.user, fields=changed_model_fields(form)
        )
