"""Editors import files (a dry-run preview on a worker, then their confirmation) and export
incidents from the admin; releases are listed read-only."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy, ngettext

from claims.rules import can_review
from exchange import imports
from exchange.export import FORMATS, count_for_export, iter_export
from exchange.models import ImportRun, ImportState, Release
from exchange.selectors import STATUSES
from exchange.services import STAFF_EXPORT_PERMISSION, record_staff_export
from incidents.models import Incident
from lootwatch.admin_base import ReadOnlyAdminMixin

# The incidents an import run's page lists (the report keeps the counts of all).
MAX_LISTED = 500
OPTION_LABELS = {
    "keep_review_state": gettext_lazy("Keep review states"),
    "skip_duplicates": gettext_lazy("Skip duplicates"),
    "no_create": gettext_lazy("Create no places, actors or sources"),
}
OUTCOME_LABELS = {
    "new": gettext_lazy("new"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "skipped as duplicates": gettext_lazy("skipped as a duplicate"),
}

# The admin streams an export inside one request, which gunicorn's sync workers end after
# 30 s: larger exports are refused there and go through export_incidents (README).
ADMIN_EXPORT_MAX_INCIDENTS = 5000


class UploadForm(forms.Form):
    file = forms.FileField(help_text="JSON Lines or CSV, as export_incidents writes (or by hand).")
    keep_review_state = forms.BooleanField(
        required=False, help_text="Give claims their file's status through reviews noting the file."
    )
    skip_duplicates = forms.BooleanField(
        required=False, help_text="Leave out new incidents that look already logged."
    )
    no_create = forms.BooleanField(
        required=False, help_text="Refuse lines naming places, actors or sources not held."
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS])
    status = forms.ChoiceField(choices=[(s, s) for s in STATUSES])
    staff = forms.BooleanField(
        required=False, help_text="Staff-only fields: confidential, never for partners."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The box only for those who may tick it (exchange.export_staff_data): a "staff"
        # sent anyway still reaches record_staff_export, which refuses it.
        self.staff_allowed = user.has_perm(STAFF_EXPORT_PERMISSION)
        if not self.staff_allowed:
            del self.fields["staff"]

    def clean(self):
        cleaned = super().clean()
        if not self.staff_allowed:
            cleaned["staff"] = bool(self.data.get("staff"))
        return cleaned


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["file_name", "state", "uploaded_by", "created_at", "finished_at"]
    fields = [
        "file_name",
        "state",
        "options_text",
        "uploaded_by",
        "created_at",
        "finished_at",
        "incidents_listed",
        "duplicates_listed",
        "report",
    ]
    readonly_fields = fields

    def get_fields(self, request, obj=None):
        """A run not (yet) imported has no finish time: no empty "Finished at: -" then."""
        hidden = {"finished_at"} if obj is None or obj.finished_at is None else set()
        return [name for name in self.fields if name not in hidden]

    @admin.display(description=gettext_lazy("Options"))
    def options_text(self, run):
        chosen = [str(label) for key, label in OPTION_LABELS.items() if run.options.get(key)]
        return ", ".join(chosen) or gettext("No options")

    @admin.display(description=gettext_lazy("Incidents"))
    def incidents_listed(self, run):
        """Each incident of the file by its title, with what the import does (did) to it:
        a link to it in the admin once imported."""
        listed = (run.details or {}).get("incidents") or []
        if not listed:
            return "-"
        shown = listed[:MAX_LISTED]
        links = {}
        if run.state == ImportState.DONE:
            ids = [entry["id"] for entry in shown if entry.get("id")]
            links = {
                str(public_id): reverse("admin:incidents_incident_change", args=[pk])
                for public_id, pk in Incident.objects.filter(public_id__in=ids).values_list(
                    "public_id", "pk"
                )
            }
        rows = format_html_join(
            "",
            "<li>{}</li>",
            ((self._incident(entry, links.get(entry.get("id"))),) for entry in shown),
        )
        more = len(listed) - len(shown)
        tail = (
            format_html(
                "<li>{}</li>",
                ngettext("… and %(count)d more", "… and %(count)d more", more) % {"count": more},
            )
            if more
            else ""
        )
        return format_html('<ul class="import-incidents">{}{}</ul>', rows, tail)

    @staticmethod
    def _incident(entry, link):
        line = gettext("line %(line)d") % {"line": entry["line"]}
        outcome = OUTCOME_LABELS.get(entry["outcome"], entry["outcome"])
        title = entry["title"] or gettext("(no title)")
        if link:
            return format_html('{}: <a href="{}">{}</a> ({})', line, link, title, outcome)
        return format_html("{}: {} ({})", line, title, outcome)

    @admin.display(description=gettext_lazy("Possible duplicates"))
    def duplicates_listed(self, run):
        found = (run.details or {}).get("duplicates") or []
        if not found:
            return gettext("None found") if run.details else "-"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((d,) for d in found))
        )

    change_form_template = "admin/exchange/importrun/change_form.html"
    change_list_template = "admin/exchange/importrun/change_list.html"

    def has_module_permission(self, request):
        return can_review(request.user)

    def has_view_permission(self, request, obj=None):
        return can_review(request.user)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="exchange_importrun_upload"),
            path("export/", wrap(self.export_view), name="exchange_importrun_export"),
            path("<int:pk>/confirm/", wrap(self.confirm_view), name="exchange_importrun_confirm"),
            *super().get_urls(),
        ]

    def _require(self, request):
        if not can_review(request.user):
            raise PermissionDenied

    def _page(self, request, template, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.model._meta, **context},
        )

    def upload_view(self, request):
        self._require(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            options = {key: form.cleaned_data[key] for key in imports.OPTIONS}
            try:
                run = imports.queue_import(
                    file=form.cleaned_data["file"], uploaded_by=request.user, options=options
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.info(request, "The file is being checked; nothing is written yet.")
                return redirect(reverse("admin:exchange_importrun_change", args=[run.pk]))
        return self._page(request, "admin/exchange/importrun/upload.html", form=form)

    def confirm_view(self, request, pk):
        self._require(request)
        run = get_object_or_404(ImportRun, pk=pk)
        if request.method == "POST":
            try:
                imports.confirm_import(run=run, editor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                messages.info(request, "Importing: this page follows its progress.")
        return redirect(reverse("admin:exchange_importrun_change", args=[run.pk]))

    def export_view(self, request):
        self._require(request)
        form = ExportForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                self._check_export(request, data)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "messages", None) or str(error))
                return self._page(request, "admin/exchange/importrun/export.html", form=form)
            name = f"lootwatch-{data['status']}-{timezone.now():%Y%m%dT%H%M%SZ}.{data['format']}"
            response = StreamingHttpResponse(
                iter_export(format=data["format"], status=data["status"], staff=data["staff"]),
                content_type="text/csv" if data["format"] == "csv" else "application/x-ndjson",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return self._page(request, "admin/exchange/importrun/export.html", form=form)

    def _check_export(self, request, data):
        """Refuse an export larger than a request may stream (ADMIN_EXPORT_MAX_INCIDENTS:
        a sync worker's timeout would cut it off behind a 200); check and record a staff
        export through the service (its own permission, an audit row)."""
        count = count_for_export(status=data["status"], staff=data["staff"])
        limit = getattr(settings, "ADMIN_EXPORT_MAX_INCIDENTS", ADMIN_EXPORT_MAX_INCIDENTS)
        if count > limit:
            raise ValidationError(
                f"{count} incidents are more than the admin exports within one request "
                f"({limit}); run: python manage.py export_incidents --format {data['format']} "
                f"--status {data['status']}{' --staff --as USERNAME' if data['staff'] else ''} "
                "-o FILE"
            )
        if data["staff"]:
            record_staff_export(
                exported_by=request.user,
                via="admin",
                format=data["format"],
                status=data["status"],
                incidents=count,
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._require(request)
        run = self.get_object(request, object_id)  # None for a malformed or unknown id
        if run is None:
            raise Http404("No such import.")
        running = run.state in (ImportState.CHECKING, ImportState.QUEUED, ImportState.IMPORTING)
        extra = {
            "running": running,
            "progress": imports.progress(run) if running else None,
            "confirmable": run.state == ImportState.CHECKED
            and run.uploaded_by_id == request.user.pk,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["version", "created_at", "created_by", "notes"]
    fields = ["version", "created_at", "created_by", "notes", "manifest_sha256", "manifest"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Whoever may make a release sees those made (and who made them); the releases
        # themselves are public, so no separate view permission is needed.
        return request.user.has_perm("exchange.make_release") or super().has_view_permission(
            request, obj
        )
