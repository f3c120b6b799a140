"""The editors' admin for sources: who makes claims. Edits go through claims.services,
which keep history and tell partners' mirrors of every claim and incident citing the
source that it changed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from claims import services as claim_services
from claims.models import Source
from lootwatch.admin_base import CountryAdminMixin, HistoryAdmin, changed_model_fields, staff_name


@admin.register(Source)
class SourceAdmin(CountryAdminMixin, HistoryAdmin):
    """Editors see every source's real name here (claims.view_protected_identity); the
    label is what partners and other journalists see of a protected one."""

    list_display = [
        "name",
        "public_label",
        "kind",
        "identity_protected",
        "country_column",
        "url",
        "organisation",
    ]
    list_filter = ["kind", "identity_protected", "country"]
    list_select_related = ["organisation"]
    search_fields = ["name", "url", "public_code"]
    autocomplete_fields = ["organisation"]
    fields = [
        "name",
        "kind",
        "identity_protected",
        "public_label",
        "country",
        "url",
        "organisation",
        "logged_by",
    ]
    readonly_fields = ["public_label", "logged_by"]
    logged_by = staff_name("created_by", _("logged by"))

    @admin.display(description=_("public label"))
    def public_label(self, source):
        return source.public_label if source.identity_protected else _("— (name is public)")

    def save_model(self, request, obj, form, change):
        # Through the services: partners see the source inside its claims and incidents,
        # whose mirrors must learn of the edit.
        if not change:
            claim_services.create_source(source=obj, created_by=request.user)
            return
        claim_services.update_source(
            source=obj, editor=request.user, fields=changed_model_fields(form)
        )
