"""The editorial steps on incidents, each an intermediate admin page that asks for what the
service needs (a confirmation, a reason, the incident to keep) and calls it at the version
the editor saw: publish, withdraw, merge."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.models import Claim
from incidents import rules
from incidents import services as incident_services
from incidents.models import IncidentStatus
from lootwatch import text_limits
from lootwatch.admin_base import ExpectedVersionForm, WithdrawForm, is_valid_id
from lootwatch.forms import add_service_errors


class PublishForm(ExpectedVersionForm):
    reason = forms.CharField(
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Kept on record with the publication and shown on the incident's page, e.g. "
            "“Two independent sources verified; photos geolocated”."
        ),
        error_messages={"required": _("Say why the incident may be published.")},
    )


class MergeForm(forms.Form):
    reason = forms.CharField(
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Why these are one incident, e.g. “Same dealership, same day, same "
            "photos”. Kept on record with both and shown on their pages."
        ),
        error_messages={"required": _("Say why these are the same incident.")},
    )
    survivor = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Incident to keep"),
        help_text=_("Its record survives; the other is withdrawn and points to it."),
        error_messages={"required": _("Pick the incident to keep.")},
    )

    def __init__(self, *args, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (incident.pk, f"{incident} (#{incident.pk})") for incident in incidents
        ]


def publish_refusal(incident):
    """Why ``incident`` cannot be published, as the publish step tells the editor."""
    if incident.status == IncidentStatus.PUBLISHED:
        return gettext("“%(incident)s” is already published.") % {"incident": incident}
    if incident.status == IncidentStatus.WITHDRAWN:
        return gettext(
            "“%(incident)s” is withdrawn: a withdrawn incident cannot be published again."
        ) % {"incident": incident}
    return gettext("“%(incident)s” has no live claim to stand on: add one before publishing.") % {
        "incident": incident
    }


class IncidentStepsMixin:
    """Publish, withdraw and merge for IncidentAdmin (with EditorialAdminMixin)."""

    def get_urls(self):
        return [
            self.editor_url(
                "<path:object_id>/publish/",
                self.publish_view,
                "incidents_incident_publish",
                "incidents.publish_incident",
            ),
            self.editor_url(
                "<path:object_id>/withdraw/",
                self.withdraw_view,
                "incidents_incident_withdraw",
                "incidents.publish_incident",
            ),
            self.editor_url(
                "merge/",
                self.merge_view,
                "incidents_incident_merge",
                "incidents.merge_incidents",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        incident = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if incident is not None:
            context["can_publish"] = rules.can_publish(request.user, incident)
            context["can_withdraw"] = rules.can_withdraw(request.user, incident)
            context["can_download_dossier"] = rules.can_download_dossier(request.user)
        return super().change_view(request, object_id, form_url, context)

    def publish_view(self, request, object_id):
        """Confirm, then publish through the service at the version the editor saw. An
        incident that cannot be published (already published, withdrawn, no live claim) is
        not offered the step: the editor is sent back to it with the reason (a form sent
        meanwhile gets the service's refusal)."""
        incident = self.object_or_404(request, object_id)
        if request.method == "GET" and not rules.can_publish(request.user, incident):
            self.message_user(request, publish_refusal(incident), messages.WARNING)
            return HttpResponseRedirect(
                reverse("admin:incidents_incident_change", args=[incident.pk])
            )
        return self.run_step(
            request,
            form_class=PublishForm,
            initial={"expected_version": incident.version},
            call=lambda data: incident_services.publish_incident(
                incident=incident,
                editor=request.user,
                reason=data["reason"],
                expected_version=data["expected_version"],
            ),
            done=gettext("“%(incident)s” is published.") % {"incident": incident},
            template="admin/incidents/incident/publish.html",
            title=gettext("Publish “%(incident)s”?") % {"incident": incident},
            incident=incident,
            claims=incident.claims.live().select_related("source"),
        )

    def withdraw_view(self, request, object_id):
        """Ask for the reason, then withdraw through the service."""
        incident = self.object_or_404(request, object_id)
        return self.run_step(
            request,
            form_class=WithdrawForm,
            initial={"expected_version": incident.version},
            call=lambda data: incident_services.withdraw_incident(
                incident=incident,
                editor=request.user,
                reason=data["reason"],
                expected_version=data["expected_version"],
            ),
            done=gettext("“%(incident)s” is withdrawn.") % {"incident": incident},
            template="admin/incidents/incident/withdraw.html",
            title=gettext("Withdraw “%(incident)s”") % {"incident": incident},
            incident=incident,
        )

    @admin.action(
        permissions=["merge"], description=_("Merge the two selected incidents (duplicates)…")
    )
    def merge_selected(self, request, queryset):
        pks = sorted(queryset.values_list("pk", flat=True))
        if len(pks) != 2:
            self.message_user(
                request, gettext("Select exactly two incidents to merge."), messages.WARNING
            )
            return None
        url = reverse("admin:incidents_incident_merge")
        return HttpResponseRedirect(f"{url}?ids={pks[0]}&ids={pks[1]}")

    def merge_view(self, request):
        """Show two incidents side by side; the editor picks the one to keep and confirms."""
        data = request.POST if request.method == "POST" else request.GET
        ids = data.getlist("ids")
        # A number no row can have is no id: SQLite would refuse it with an OverflowError.
        pks = sorted({int(pk) for pk in ids}) if all(is_valid_id(pk) for pk in ids) else []
        incidents = list(
            self.get_queryset(request)
            .filter(pk__in=pks)
            .prefetch_related(
                Prefetch(
                    "claims",
                    queryset=Claim.objects.select_related("source"),
                )
            )
        )
        if len(pks) != 2 or len(incidents) != 2:
            self.message_user(
                request, gettext("Pick two existing incidents to merge."), messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:incidents_incident_changelist"))

        form = MergeForm(request.POST or None, incidents=incidents)
        versions = {incident.pk: incident.version for incident in incidents}
        if request.method == "POST":
            try:
                versions = {pk: int(request.POST[f"version_{pk}"]) for pk in pks}
            except (KeyError, ValueError):
                form.add_error(
                    None, gettext("The page is missing what you saw; reload it and try again.")
                )
            if form.is_valid():
                survivor_pk = form.cleaned_data["survivor"]
                by_pk = {incident.pk: incident for incident in incidents}
                survivor = by_pk[survivor_pk]
                duplicate = by_pk[pks[0] if survivor_pk == pks[1] else pks[1]]
                try:
                    incident_services.merge_incidents(
                        survivor=survivor,
                        duplicate=duplicate,
                        editor=request.user,
                        reason=form.cleaned_data["reason"],
                        expected_versions=versions,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    self.message_user(
                        request,
                        gettext(
                            "Merged “%(duplicate)s” into “%(survivor)s”; the duplicate is "
                            "withdrawn and points to it."
                        )
                        % {"duplicate": duplicate, "survivor": survivor},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:incidents_incident_change", args=[survivor.pk])
                    )
        # Kept as the survivor, an unpublished incident takes a published one away from
        # partners until it is published itself: the page says so before the editor picks.
        published = [
            incident for incident in incidents if incident.status == IncidentStatus.PUBLISHED
        ]
        return self.render_step(
            request,
            "admin/incidents/incident/merge.html",
            gettext("Merge duplicate incidents"),
            incidents=[(incident, versions[incident.pk]) for incident in incidents],
            published_only=published[0] if len(published) == 1 else None,
            form=form,
        )
