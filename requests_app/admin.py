from django import forms
from django.contrib import admin

from requests_app.models import (
    Espace,
    OpeningPeriod,
    Quartier,
    Request,
    RequestEvent,
    Service,
    ServiceField,
    Site,
    Street,
)
from requests_app.registry import registry


def service_kind_choices() -> list[tuple[str, str]]:
    """The spine's kinds and the installed apps' (the column is open: this is its validation)."""
    return [(kind, str(label)) for kind, label in registry.service_kinds().items()]


class ServiceForm(forms.ModelForm):
    kind = forms.ChoiceField(label="Nature", choices=service_kind_choices)

    class Meta:
        model = Service
        exclude: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.kind if self.instance.pk else None
        if current and current not in registry.service_kinds():
            # A kind kept for an app not installed (yet): the service stays editable, its kind unchanged.
            absent = (current, f"{current} (application absente)")
            self.fields["kind"].choices = [*service_kind_choices(), absent]


@admin.register(Espace)
class EspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    filter_horizontal = ["agents"]


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "phone"]
    inlines = [OpeningPeriodInline]


@admin.register(Quartier)
class QuartierAdmin(admin.ModelAdmin):
    list_display = ["name", "qpv_code"]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "quartier"]
    list_filter = ["quartier"]
    search_fields = ["name"]


class ServiceFieldInline(admin.StackedInline):
    model = ServiceField
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    form = ServiceForm
    list_display = ["name", "code", "espace", "kind", "sla_days", "allow_anonymous", "active"]
    list_filter = ["espace", "kind", "active"]
    search_fields = ["name", "code", "keywords"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [ServiceFieldInline]


class EventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "old_status", "new_status", "public"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    # Read-only here: every change goes through the services (and so through the events and outbox).
    list_display = ["reference", "service", "status", "channel", "espace", "created_at"]
    list_filter = ["status", "channel", "espace"]
    search_fields = ["reference", "contact_email", "contact_name"]
    list_select_related = ["service", "espace"]
    show_full_result_count = False
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
