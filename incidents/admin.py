"""The editors' admin for incidents and their reference data.

The admin is a thin caller: every editorial change (edit, publish, withdraw, merge) goes
through incidents.services, which checks permissions, locks rows and writes history.
"""

from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Claim
from incidents import services as incident_services
from incidents.models import (
    Actor,
    Assessment,
    Incident,
    IncidentItem,
    IncidentStatus,
    ItemCategory,
    Place,
)
from lootwatch.versioning import check_version, lock_for_update

# Shared pieces, also used by claims/admin.py.

# The largest primary key a row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def is_valid_id(value):
    """Return True if ``value`` (a string from a request) could be a row's primary key."""
    try:
        return 0 < int(value) <= MAX_ID
    except (TypeError, ValueError):
        return False


def refuse_signed_in_outsiders(view, permission=None):
    """Wrap an admin view so that a signed-in user who may not use it gets HTTP 403.

    The admin's own wrapper sends everyone it refuses to the login page; a journalist who
    is already signed in should instead be told plainly that this is not theirs to do.
    Anonymous visitors still go to the login page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            allowed = user.is_active and user.is_staff
            if allowed and permission:
                allowed = user.has_perm(permission)
            if not allowed:
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class EditorialAdminMixin:
    """Admin URLs answer 403, not a login redirect, to signed-in users without access."""

    def get_urls(self):
        return [
            URLPattern(
                pattern.pattern,
                refuse_signed_in_outsiders(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
            if isinstance(pattern, URLPattern)
            else pattern
            for pattern in super().get_urls()
        ]

    def response_action(self, request, queryset):
        # The admin filters on the ticked ids as they come; one that is not a number
        # (or too large for any row) would make the database raise, answering a 500.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(is_valid_id(pk) for pk in selected):
            self.message_user(
                request, "The selection is not valid. Nothing was changed.", messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def editor_url(self, route, view, name, permission):
        """Return a URL for an editorial step that needs ``permission``."""
        return path(
            route,
            refuse_signed_in_outsiders(self.admin_site.admin_view(view), permission),
            name=name,
        )

    def render_step(self, request, template, title, **context):
        """Render one of the intermediate pages (confirmations, notes, reasons)."""
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                # The record the step is about, for the breadcrumbs and the Cancel link.
                "step_object": context.get("claim") or context.get("incident"),
                **context,
            },
        )


class HistoryAdmin(SimpleHistoryAdmin):
    """Show who changed what, but offer no "revert": a revert would write the old row back
    with a raw save, bypassing the services, their checks and the version counter."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Past versions can be viewed, not restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class VersionedAdminForm(forms.ModelForm):
    """A change form that carries the version it was opened at (optimistic locking).

    If the record moved on since, the form is invalid with a message naming who changed
    what, and nothing is written. The row is locked from this check until the save, which
    the admin runs in the same transaction.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            expected_version = cleaned_data.get("expected_version")
            if expected_version is None:
                raise ValidationError(
                    "This form does not say which version it was opened at. "
                    "Reload the page and make your changes again."
                )
            check_version(lock_for_update(self.instance), expected_version)
        return cleaned_data


def changed_model_fields(form):
    """Return the names of the concrete model fields the editor changed in ``form``."""
    concrete = {field.name for field in form._meta.model._meta.concrete_fields}
    return [name for name in form.changed_data if name in concrete]


def add_service_errors(form, error):
    """Show a service's ValidationError on ``form``: messages about a visible field next to
    it, all others (stale versions, hidden inputs) at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, errors)


class ExpectedVersionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(ExpectedVersionForm):
    # Not required here: the service refuses an empty reason with its own message.
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
        help_text="Kept on record with the withdrawal, e.g. “Source retracted the post”.",
    )


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Incident to keep",
        help_text="Its record survives; the other is withdrawn and points to it.",
        error_messages={"required": "Pick the incident to keep."},
    )

    def __init__(self, *args, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (incident.pk, f"{incident} (#{incident.pk})") for incident in incidents
        ]


# Reference data: places, actors, categories.


@admin.register(Place)
class PlaceAdmin(HistoryAdmin):
    list_display = ["name", "country", "admin1", "admin2", "precision", "latitude", "longitude"]
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
class ActorAdmin(HistoryAdmin):
    list_display = ["name", "kind", "parent", "country"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        if not change:
            # A new actor is in no incident yet; the history admin records who added it.
            super().save_model(request, obj, form, change)
            return
        incident_services.update_actor(
            actor=obj, editor=request.user, fields=changed_model_fields(form)
        )


@admin.register(ItemCategory)
class ItemCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # Slugs are what partners filter by; renaming one would break their queries.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields


# Incidents.


class CountryFilter(admin.SimpleListFilter):
    title = "country"
    parameter_name = "country"
    field_path = "place__country"

    def lookups(self, request, model_admin):
        countries = Place.objects.order_by("country").values_list("country", flat=True)
        return [(country, country) for country in countries.distinct()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field_path: self.value()})
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    """Items in a category; a top category includes its subcategories.

    The sidebar lists top categories only: the whole taxonomy (30 and more) made the
    sidebar longer than the list and squeezed its table. A subcategory's slug still works
    in the address (``?category=cars``).
    """

    title = "category of items"
    parameter_name = "category"
    incident_path = "pk"

    def lookups(self, request, model_admin):
        categories = ItemCategory.objects.filter(parent__isnull=True).order_by("name")
        return [(category.slug, category.name) for category in categories]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        category = ItemCategory.objects.filter(slug=self.value()).first()
        if category is None:
            return queryset.none()
        matching = Incident.objects.in_category(category).values("pk")
        return queryset.filter(**{f"{self.incident_path}__in": matching})


class AssessmentFilter(admin.SimpleListFilter):
    title = "assessment"
    parameter_name = "assessment"

    def lookups(self, request, model_admin):
        return Assessment.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(assessment=self.value())
        return queryset


class IncidentItemInline(admin.TabularInline):
    model = IncidentItem
    extra = 0
    autocomplete_fields = ["category"]
    fields = ["category", "description", "quantity_min", "quantity_max"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category__parent")


class ClaimInline(admin.TabularInline):
    """The claims an incident stands on, read-only: claims are reviewed on their own page."""

    model = Claim
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["source", "medium", "published_at", "status", "withdrawn_at", "original"]
    readonly_fields = fields
    verbose_name_plural = "claims (open one to review it)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="original")
    def original(self, claim):
        return external_link(claim.url, "original")


def external_link(url, text):
    if not url:
        return "—"
    return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, text)


def assessment_tag(incident):
    """The assessment, linked to its definition on the public methodology page."""
    return format_html(
        '<a href="{}#{}" title="How this grade is defined">{}</a>',
        reverse("methodology"),
        incident.assessment,
        Assessment(incident.assessment).label,
    )


class IncidentAdminForm(VersionedAdminForm):
    class Meta:
        model = Incident
        # What editors type; the editorial state changes only through the services.
        fields = [
            "title",
            "summary",
            "place",
            "occurred_from",
            "occurred_to",
            "date_precision",
            "actors",
            "internal_notes",
        ]


@admin.register(Incident)
class IncidentAdmin(EditorialAdminMixin, HistoryAdmin):
    form = IncidentAdminForm
    list_display = [
        "title",
        "status",
        "place",
        "dates",
        "assessment_column",
        "verification",
        "updated_at",
    ]
    list_filter = [
        "status",
        AssessmentFilter,
        CountryFilter,
        CategoryFilter,
        ("actors", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["place"]
    date_hierarchy = "occurred_from"
    search_fields = ["title", "summary", "place__name", "place__admin1"]
    autocomplete_fields = ["place", "actors"]
    inlines = [IncidentItemInline, ClaimInline]
    actions = ["merge_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "summary",
                    "place",
                    ("occurred_from", "occurred_to", "date_precision"),
                    "actors",
                    "internal_notes",
                    "expected_version",
                ]
            },
        ),
        (
            "Editorial state (changed only by publishing, withdrawing or merging)",
            {
                "fields": [
                    "public_id",
                    "status",
                    "assessment_column",
                    "verification",
                    ("created_by", "created_at"),
                    ("submitted_at", "published_at", "withdrawn_at"),
                    "withdrawal_reason",
                    "merged_into",
                    "version",
                ]
            },
        ),
    ]
    readonly_fields = [
        "public_id",
        "status",
        "assessment_column",
        "verification",
        "created_by",
        "created_at",
        "submitted_at",
        "published_at",
        "withdrawn_at",
        "withdrawal_reason",
        "merged_into",
        "version",
    ]

    def get_queryset(self, request):
        # The summary is one aggregate for the whole page; the place is joined in.
        return (
            super()
            .get_queryset(request)
            .with_summary()
            .select_related("place", "created_by", "merged_into")
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": self.fieldsets[0][1]["fields"][:-1]})]
        return self.fieldsets

    def get_inlines(self, request, obj):
        return self.inlines if obj else [IncidentItemInline]

    @admin.display(description="occurred", ordering="occurred_from")
    def dates(self, incident):
        start, end = incident.occurred_from, incident.occurred_to
        if start == end:
            return f"{start:%d %b %Y}"
        return f"{start:%d %b} – {end:%d %b %Y}"

    @admin.display(description="assessment", ordering="assessment")
    def assessment_column(self, incident):
        if getattr(incident, "assessment", None) is None:
            return "—"
        return assessment_tag(incident)

    @admin.display(description="claims: verified / disputed / unverified · sources")
    def verification(self, incident):
        if getattr(incident, "claims_total", None) is None:
            return "—"
        return (
            f"{incident.claims_total}: {incident.claims_verified} / "
            f"{incident.claims_disputed} / {incident.claims_unverified} · "
            f"{incident.independent_sources}"
        )

    # Nobody deletes incidents: withdrawing keeps them on record.
    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return incident_services.can_edit_incident(request.user, obj)

    def has_merge_permission(self, request):
        return request.user.has_perm("incidents.merge_incidents")

    def save_model(self, request, obj, form, change):
        if not change:
            incident_services.create_incident(incident=obj, created_by=request.user)
            return
        incident_services.update_incident(
            incident=obj,
            editor=request.user,
            expected_version=form.cleaned_data["expected_version"],
            fields=changed_model_fields(form),
        )

    def save_related(self, request, form, formsets, change):
        # Actors and items go through the services too, like every edit of an incident.
        incident = form.instance
        incident_services.set_incident_actors(
            incident=incident, editor=request.user, actors=form.cleaned_data["actors"]
        )
        for formset in formsets:
            if formset.model is IncidentItem:
                items = formset.save(commit=False)
                incident_services.save_incident_items(
                    incident=incident,
                    editor=request.user,
                    items=items,
                    removed=formset.deleted_objects,
                )
            else:
                # The claims inline is read-only; this only tells the admin's log so.
                formset.save(commit=False)

    # Editorial steps: publish, withdraw, merge.

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
            may_publish = request.user.has_perm("incidents.publish_incident")
            context["can_publish"] = may_publish and incident.status in (
                IncidentStatus.DRAFT,
                IncidentStatus.SUBMITTED,
            )
            context["can_withdraw"] = may_publish and incident.status != IncidentStatus.WITHDRAWN
        return super().change_view(request, object_id, form_url, context)

    def _incident_or_404(self, request, object_id):
        # get_object() answers None for an id that is not a number (or no incident)
        # rather than letting the database raise.
        incident = self.get_object(request, object_id)
        if incident is None:
            raise Http404("No incident with this id.")
        return incident

    def _change_url(self, incident):
        return reverse("admin:incidents_incident_change", args=[incident.pk])

    def publish_view(self, request, object_id):
        """Confirm, then publish through the service at the version the editor saw."""
        incident = self._incident_or_404(request, object_id)
        if request.method == "POST":
            form = ExpectedVersionForm(request.POST)
            if form.is_valid():
                try:
                    incident_services.publish_incident(
                        incident=incident,
                        editor=request.user,
                        expected_version=form.cleaned_data["expected_version"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    self.message_user(request, f"“{incident}” is published.", messages.SUCCESS)
                    return HttpResponseRedirect(self._change_url(incident))
        else:
            form = ExpectedVersionForm(initial={"expected_version": incident.version})
        return self.render_step(
            request,
            "admin/incidents/incident/publish.html",
            f"Publish “{incident}”?",
            incident=incident,
            form=form,
            claims=incident.claims.live().select_related("source"),
        )

    def withdraw_view(self, request, object_id):
        """Ask for the reason, then withdraw through the service."""
        incident = self._incident_or_404(request, object_id)
        if request.method == "POST":
            form = WithdrawForm(request.POST)
            if form.is_valid():
                try:
                    incident_services.withdraw_incident(
                        incident=incident,
                        editor=request.user,
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["expected_version"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    self.message_user(request, f"“{incident}” is withdrawn.", messages.SUCCESS)
                    return HttpResponseRedirect(self._change_url(incident))
        else:
            form = WithdrawForm(initial={"expected_version": incident.version})
        return self.render_step(
            request,
            "admin/incidents/incident/withdraw.html",
            f"Withdraw “{incident}”",
            incident=incident,
            form=form,
        )

    @admin.action(
        permissions=["merge"], description="Merge the two selected incidents (duplicates)…"
    )
    def merge_selected(self, request, queryset):
        pks = sorted(queryset.values_list("pk", flat=True))
        if len(pks) != 2:
            self.message_user(request, "Select exactly two incidents to merge.", messages.WARNING)
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
            self.message_user(request, "Pick two existing incidents to merge.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:incidents_incident_changelist"))

        form = MergeForm(request.POST or None, incidents=incidents)
        versions = {incident.pk: incident.version for incident in incidents}
        if request.method == "POST":
            try:
                versions = {pk: int(request.POST[f"version_{pk}"]) for pk in pks}
            except (KeyError, ValueError):
                form.add_error(None, "The page is missing what you saw; reload it and try again.")
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
                        expected_versions=versions,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    self.message_user(
                        request,
                        f"Merged “{duplicate}” into “{survivor}”; the duplicate is withdrawn "
                        "and points to it.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self._change_url(survivor))
        return self.render_step(
            request,
            "admin/incidents/incident/merge.html",
            "Merge duplicate incidents",
            incidents=[(incident, versions[incident.pk]) for incident in incidents],
            form=form,
        )
