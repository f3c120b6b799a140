"""The editors' admin for evidence files and their chain of custody.

Evidence is never edited in the admin: it is uploaded (through attach_evidence, on the
"Upload evidence" page that replaces the admin's add form) and then only looked at.
Custody events are read-only everywhere.
"""

from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.forms import EvidenceAdminUploadForm
from claims.models import CustodyEvent, Evidence
from lootwatch.admin_base import ReadOnlyAdminMixin, staff_name


def thumbnail_tag(evidence):
    """A thumbnail linking to the display image; for a PDF or page capture, a document
    label (they have no image derivative)."""
    if not evidence.thumbnail:
        return format_html(
            '<span title="{}">&#128196; {}</span>',
            evidence.content_type,
            evidence.original_filename or evidence.get_kind_display(),
        )
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" width="80" loading="lazy"></a>',
        reverse("claims:evidence-display", kwargs={"public_id": evidence.public_id}),
        reverse("claims:evidence-thumbnail", kwargs={"public_id": evidence.public_id}),
        gettext("Evidence %(digest)s") % {"digest": evidence.sha256[:12]},
    )


def upload_url(claim=None):
    """The admin page for uploading evidence, for ``claim`` if given."""
    url = reverse("admin:claims_evidence_add")
    return f"{url}?claim={claim.pk}" if claim is not None and claim.pk else url


class EvidenceInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The evidence of a claim, on the claim's admin page, with a link to upload more."""

    model = Evidence
    extra = 0
    fields = ["preview", "kind", "content_type", "size_bytes", "sha256", "uploaded_by_name"]
    readonly_fields = fields
    uploaded_by_name = staff_name("uploaded_by", _("uploaded by"))
    template = "claims/includes/evidence_admin_inline.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("Preview"))
    def preview(self, evidence):
        return thumbnail_tag(evidence)


class CustodyEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The chain of custody, shown on the evidence page: never editable."""

    model = CustodyEvent
    extra = 0
    fields = ["at", "action", "actor_name", "detail"]
    readonly_fields = fields
    actor_name = staff_name("actor", "by")
    can_delete = False
    verbose_name = _("custody event")
    verbose_name_plural = _("chain of custody")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "preview",
        "claim",
        "content_type",
        "size_bytes",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["kind", "content_type"]
    list_select_related = ["claim__source", "claim__incident", "uploaded_by"]
    search_fields = ["=sha256", "original_filename", "claim__incident__title"]
    inlines = [CustodyEventInline]
    fields = [
        "preview",
        "claim",
        "kind",
        "original_filename",
        "original_link",
        "sha256",
        "size_bytes",
        "content_type",
        "width",
        "height",
        "metadata",
        "same_file_elsewhere",
        "uploaded_by_name",
        "uploaded_at",
    ]
    readonly_fields = fields
    uploaded_by_name = staff_name("uploaded_by", _("uploaded by"))

    def has_add_permission(self, request, obj=None):
        # "Add" is the upload page below, which goes through attach_evidence.
        return request.user.has_perm("claims.add_evidence")

    @admin.display(description=_("Preview"))
    def preview(self, evidence):
        return thumbnail_tag(evidence)

    @admin.display(description=_("Original"))
    def original_link(self, evidence):
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("claims:evidence-original", kwargs={"public_id": evidence.public_id}),
            gettext("Download the original"),
            gettext("staff with the download permission only; each download is recorded below"),
        )

    @admin.display(description=_("Same file on other claims"))
    def same_file_elsewhere(self, evidence):
        others = (
            Evidence.objects.same_file(evidence.sha256)
            .exclude(pk=evidence.pk)
            .select_related("claim__incident")
        )
        if not others:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:claims_evidence_change", args=[other.pk]), other.claim.incident)
                for other in others
            ),
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Upload evidence for a claim through the same form and service as the pages."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {"claim": request.GET.get("claim")}
        form = EvidenceAdminUploadForm(request.POST or None, request.FILES or None, initial=initial)
        form.fields["claim"].widget = ForeignKeyRawIdWidget(
            Evidence._meta.get_field("claim").remote_field, self.admin_site
        )
        if request.method == "POST" and form.is_valid():
            claim = form.cleaned_data["claim"]
            try:
                with transaction.atomic():
                    attached = form.save(claim=claim, uploaded_by=request.user)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "messages", None) or str(error))
            else:
                self._report(request, attached)
                return HttpResponseRedirect(self._claim_admin_url(claim))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Upload evidence"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/evidence/upload.html", context)

    def _report(self, request, attached):
        for item in attached:
            name = item.evidence.original_filename or item.evidence.sha256[:12]
            messages.success(
                request,
                gettext("%(name)s uploaded (SHA-256 %(sha256)s).")
                % {"name": name, "sha256": item.evidence.sha256},
            )
            if item.already_held:
                places = "; ".join(
                    f"{other.claim.incident} — {other.claim}" for other in item.elsewhere
                )
                messages.warning(
                    request,
                    gettext("%(name)s is already evidence elsewhere: %(places)s.")
                    % {"name": name, "places": places},
                )

    def _claim_admin_url(self, claim):
        try:
            return reverse("admin:claims_claim_change", args=[claim.pk])
        except NoReverseMatch:
            return reverse("admin:claims_evidence_changelist")


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["evidence", "action", "actor", "at"]
    list_filter = ["action"]
    list_select_related = ["evidence", "actor"]
    date_hierarchy = "at"
