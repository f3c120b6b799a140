"""Editors register partners' webhook endpoints and follow every delivery and attempt.

An endpoint is created through webhooks.services.create_endpoint, which checks the URL and
makes the signing secret; the secret is shown once, in the message after saving. Deliveries
and attempts are read-only: they are the record of what was sent.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from lootwatch.admin_base import ReadOnlyAdminMixin
from webhooks import services
from webhooks.models import Attempt, Delivery, Endpoint, Event


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=Event.values,
        help_text="Partners only receive what their key may read: never drafts.",
    )

    class Meta:
        model = Endpoint
        fields = ["api_key", "url", "events", "active"]

    def clean_url(self):
        # Shown next to the field, before anything is saved; the service checks again.
        url = self.cleaned_data["url"]
        services.check_endpoint_url(url)
        return url


class AttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attempt
    fields = ["number", "at", "outcome", "status_code", "duration_ms", "error"]
    readonly_fields = fields
    extra = 0


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "api_key", "active", "failing_since", "disabled_at", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["failing_since", "disabled_at", "disabled_reason", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # The key and URL are what the secret was given for: register a new endpoint instead.
        return [*self.readonly_fields, "api_key", "url"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            if obj.active and "active" in form.changed_data:
                # Turned back on by an editor: a fresh start, not still "failing for a day".
                obj.failing_since, obj.disabled_at, obj.disabled_reason = None, None, ""
            obj.save()
            return
        try:
            endpoint, secret = services.create_endpoint(
                api_key=obj.api_key,
                url=obj.url,
                events=form.cleaned_data["events"],
                created_by=request.user,
            )
        except ValidationError as error:
            # The form's own checks passed; the service's (the address) did not.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            raise
        obj.pk = endpoint.pk
        self.message_user(
            request,
            format_html(
                "Signing secret for {}: <code>{}</code> — send it to the partner over a "
                "secure channel now; it is not shown again.",
                endpoint.url,
                secret,
            ),
            messages.WARNING,
        )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "created_at", "next_attempt_at"]
    list_filter = ["status", "event"]
    list_select_related = ["endpoint__api_key"]
    fields = [
        "endpoint",
        "event",
        "event_id",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "finished_at",
        "body",
    ]
    readonly_fields = fields
    inlines = [AttemptInline]
