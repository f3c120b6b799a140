"""Admin for evidence files and their chain of custody (imported by claims/admin.py)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims.models import CustodyEvent, Evidence


class ReadOnlyAdminMixin:
    """Records of what happened are shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def thumbnail_tag(evidence):
    if not evidence.thumbnail:
        return evidence.original_filename or evidence.sha256[:12]
    return format_html(
        '<a href="{}"><img src="{}" alt="Evidence {}" width="80"></a>',
        reverse("claims:evidence-display", kwargs={"public_id": evidence.public_id}),
        reverse("claims:evidence-thumbnail", kwargs={"public_id": evidence.public_id}),
        evidence.sha256[:12],
    )


class EvidenceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["preview", "kind", "content_type", "size_bytes", "sha256", "uploaded_by"]
    readonly_fields = fields

    @admin.display(description="Preview")
    def preview(self, evidence):
        return thumbnail_tag(evidence)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "preview", "claim", "content_type", "size_bytes", "uploaded_at"]
    list_select_related = ["claim__source", "claim__incident"]
    search_fields = ["sha256", "original_filename", "claim__incident__title"]
    readonly_fields = ["preview"]

    @admin.display(description="Preview")
    def preview(self, evidence):
        return thumbnail_tag(evidence)


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["evidence", "action", "actor", "at"]
    list_filter = ["action"]
    list_select_related = ["evidence", "actor"]
