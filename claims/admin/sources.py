"""The editors' admin for sources: who makes claims. Edits go through claims.services,
which keep history and tell partners' mirrors of every claim and incident citing the
source that it changed."""

from django.contrib import admin

from claims import services as claim_services
from claims.models import Source
from lootwatch.admin_base import HistoryAdmin, changed_model_fields


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["name", "kind", "country", "url", "organisation"]
    list_filter = ["kind", "country"]
    list_select_related = ["organisation"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["organisation"]

    def save_model(self, request, obj, form, change):
        # Through the services: partners see the source inside its claims and incidents,
        # whose mirrors must learn of the edit.
        if not change:
            claim_services.create_source(source=obj, created_by=request.user)
            return
        claim_services.update_source(
            source=obj, editor=request.user, fields=changed_model_fields(form)
        )
