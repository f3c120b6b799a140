"""Where an incident's goods went, in the incident's admin page: its route and its links to
other incidents, as inlines that editors correct. They are saved with the rest of the
incident by one incidents.services.edit_incident call (see IncidentAdmin.save_related),
never by the inlines themselves."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.models import IncidentLink, RoutePoint
from incidents.services import LinkSubmission, RoutePointSubmission


class RoutePointInlineFormSet(forms.BaseInlineFormSet):
    """A point may cite only claims of its own incident: those are the only ones offered
    (the service refuses any other)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        claims = form.fields.get("supporting_claims")
        if claims is not None:
            claims.queryset = self.instance.claims.select_related("source").order_by(
                "published_at", "pk"
            )

    def kept_forms(self):
        """The forms of the points the route keeps, in order."""
        return [
            form
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed())
        ]

    def submissions(self):
        """The route as incidents.services.edit_incident takes it."""
        return [
            RoutePointSubmission(
                point=form.instance, claims=list(form.cleaned_data.get("supporting_claims", []))
            )
            for form in self.kept_forms()
        ]


class RoutePointInline(admin.StackedInline):
    """The places the goods were taken to, in order after the incident's place. A new
    point goes at the end; to reorder, correct the places."""

    model = RoutePoint
    formset = RoutePointInlineFormSet
    extra = 0
    autocomplete_fields = ["place"]
    fields = [("place", "date_from", "date_to"), "note", "supporting_claims"]
    verbose_name = _("place the goods were taken to")
    verbose_name_plural = _("where the goods were taken (route, in order)")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "supporting_claims":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("place")


class LinkInlineFormSet(forms.BaseInlineFormSet):
    #: The end of each link that is the other incident, named as what it is to this one:
    #: "destination" or "origin" (a LinkRole); set by LinkInline.get_formset.
    other_end = None

    def submissions(self):
        """The links as incidents.services.edit_incident takes them."""
        return [
            LinkSubmission(
                incident=form.cleaned_data[self.other_end],
                kind=form.cleaned_data["kind"],
                role=self.other_end,
            )
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed())
        ]


class LinkInline(admin.TabularInline):
    """The links of the incident in which the other incident is at ``other_end``."""

    model = IncidentLink
    formset = LinkInlineFormSet
    extra = 0
    other_end = None

    def get_formset(self, request, obj=None, **kwargs):
        # A new class each time: setting the end on it touches no other request.
        formset = super().get_formset(request, obj, **kwargs)
        formset.other_end = self.other_end
        return formset


class DestinationInline(LinkInline):
    """Incidents where this incident's goods were reported: a market, a depot, a column."""

    fk_name, other_end = "origin", "destination"
    autocomplete_fields = ["destination"]
    fields = ["kind", "destination"]
    verbose_name = _("incident its goods were taken to")
    verbose_name_plural = _("goods taken to (linked incidents)")


class OriginInline(LinkInline):
    """Incidents whose goods were reported at this one (this is the market or depot)."""

    fk_name, other_end = "destination", "origin"
    autocomplete_fields = ["origin"]
    fields = ["origin", "kind"]
    verbose_name = _("incident whose goods came here")
    verbose_name_plural = _("goods taken from (linked incidents)")
