"""Admin plumbing shared by the incidents and claims admins: URLs that answer signed-in
outsiders with 403, intermediate step pages, history without "revert", optimistic locking on
change forms, and the list filters both the incident and the claim lists offer.

Neither app imports the other's admin: what they share lives here.
"""

from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from incidents.models import Incident, ItemCategory, Place
from lootwatch import text_limits
from lootwatch.countries import CountrySelect, country_name
from lootwatch.formats import date_hint, datetime_hint
from lootwatch.forms import add_service_errors
from lootwatch.versioning import check_version

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
                request, gettext("The selection is not valid. Nothing was changed."), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form checked the version it was opened at; the service checks again with the
        # row locked. If someone saved in between, the service refuses, the admin's
        # transaction is rolled back, and the editor is told rather than shown a 500.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(
                request,
                gettext("Nothing was saved: %(errors)s") % {"errors": " ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def editor_url(self, route, view, name, permission):
        """Return a URL for an editorial step that needs ``permission``."""
        return path(
            route,
            refuse_signed_in_outsiders(self.admin_site.admin_view(view), permission),
            name=name,
        )

    def object_or_404(self, request, object_id):
        """The record a step is about. get_object() answers None for an id that is not a
        number (or no such record) rather than letting the database raise."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(
                gettext("No %(kind)s with this id.") % {"kind": self.model._meta.verbose_name}
            )
        return obj

    def run_step(self, request, *, form_class, initial, call, done, template, title, **context):
        """The shape of every editorial step page: show ``form_class`` (with ``initial``);
        on a valid POST, ``call(cleaned_data)`` the service; show its refusal on the form,
        or say ``done`` (text, or a function of the record ``call`` returns) and go back to
        the record's admin page. ``title`` may be a function of the form."""
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    record = call(form.cleaned_data)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    message = done(record) if callable(done) else done
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse(
                            f"admin:{record._meta.app_label}_{record._meta.model_name}_change",
                            args=[record.pk],
                        )
                    )
        else:
            form = form_class(initial=initial)
        title = title(form) if callable(title) else title
        return self.render_step(request, template, title, form=form, **context)

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


class CountryAdminMixin:
    """Countries picked by name (lootwatch.countries) and listed with it: "Ukraine (UA)"."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "country":
            kwargs["widget"] = CountrySelect
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("country"), ordering="country")
    def country_column(self, obj):
        return f"{country_name(obj.country)} ({obj.country})" if obj.country else "—"


def staff_name(field, description):
    """A read-only admin field naming the user in ``field`` by username, without the link
    Django would make to their account's admin page: editors may not open accounts (it
    answers 403), so the link would only lead them to a refusal."""

    @admin.display(description=description)
    def name(self, obj):
        user = getattr(obj, field)
        return user.get_username() if user is not None else "—"

    return name


class HistoryAdmin(SimpleHistoryAdmin):
    """Show who changed what, but offer no "revert": a revert would write the old row back
    with a raw save, bypassing the services, their checks and the version counter."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Dates as the pages take them: the language's one input format, named under the
        # field (lootwatch.formats), which the admin's calendar also writes.
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(db_field, models.DateField):
            hint = datetime_hint if isinstance(db_field, models.DateTimeField) else date_hint
            formfield.help_text = (
                format_lazy("{} {}", hint, formfield.help_text) if formfield.help_text else hint
            )
        return formfield

    def history_view(self, request, object_id, extra_context=None):
        context = dict(extra_context or {})
        if not request.user.has_perm("auth.view_user"):
            # simple_history links each change to its author's account page; editors may
            # not open accounts, so the names stay plain text (an unknown URL name is
            # silently no link).
            context["admin_user_view"] = "admin:no_account_pages"
        return super().history_view(request, object_id, extra_context=context)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(gettext("Past versions can be viewed, not restored."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class VersionedAdminForm(forms.ModelForm):
    """A change form that carries the version it was opened at (optimistic locking).

    If the record moved on since, the form is invalid with a message naming who changed
    what, and nothing is written. This is the early, friendly check; the service that saves
    the change checks again with the row locked (see EditorialAdminMixin.changeform_view
    for the rare edit that slips between the two).
    """

    expected_version = forms.IntegerField(
        label=gettext_lazy("version opened"), widget=forms.HiddenInput, required=False
    )

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
                    gettext(
                        "This form does not say which version it was opened at. "
                        "Reload the page and make your changes again."
                    )
                )
            current = type(self.instance)._default_manager.get(pk=self.instance.pk)
            check_version(current, expected_version)
        return cleaned_data


def changed_model_fields(form):
    """Return the names of the concrete model fields the editor changed in ``form``."""
    concrete = {field.name for field in form._meta.model._meta.concrete_fields}
    return [name for name in form.changed_data if name in concrete]


class ExpectedVersionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(ExpectedVersionForm):
    # Not required here: the service refuses an empty reason with its own message.
    reason = forms.CharField(
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
        help_text=gettext_lazy(
            "Kept on record with the withdrawal, e.g. “Source retracted the post”."
        ),
    )


class ReadOnlyAdminMixin:
    """Records of what happened are shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def https_url_fields(db_field, **kwargs):
    """Treat a URL typed without a scheme as https (Django 6's default, adopted now)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def external_link(url, text):
    if not url:
        return "—"
    return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, text)


# List filters shared by the incident list and the claim list (the review queue).


class CountryFilter(admin.SimpleListFilter):
    title = gettext_lazy("country")
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

    title = gettext_lazy("category of items")
    parameter_name = "category"
    incident_path = "pk"

    def lookups(self, request, model_admin):
        categories = ItemCategory.objects.filter(parent__isnull=True).order_by("name")
        return [(category.slug, category.display_name) for category in categories]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        category = ItemCategory.objects.filter(slug=self.value()).first()
        if category is None:
            return queryset.none()
        matching = Incident.objects.in_category(category).values("pk")
        return queryset.filter(**{f"{self.incident_path}__in": matching})
