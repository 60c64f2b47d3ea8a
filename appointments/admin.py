from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from appointments.models import Agenda, AgendaOpening, Booking, Closure, Slot
from appointments.services import agenda_seats_sync


class AgendaOpeningInline(admin.TabularInline):
    model = AgendaOpening
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0
    fields = ["site", "starts_at", "ends_at", "reason"]


@admin.register(Agenda)
class AgendaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "service", "slot_minutes", "seats", "max_people", "ants_required", "active"]
    list_filter = ["site", "motif", "active"]
    inlines = [AgendaOpeningInline, ClosureInline]
    fieldsets = [
        (None, {"fields": ["motif", "site", "service", "active"]}),
        (_("Créneaux"), {"fields": ["slot_minutes", "seats", "max_people"]}),
        (_("Délais"), {"fields": ["min_delay_hours", "max_delay_days", "cancel_cutoff_hours"]}),
        (_("Dossier"), {"fields": ["ants_required", "documents", "instructions"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "seats" in form.changed_data:
            updated = agenda_seats_sync(agenda=obj)
            messages.info(request, _("%(count)s créneau(x) à venir mis à jour.") % {"count": updated})


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["site", "agenda", "starts_at", "ends_at", "reason"]
    list_filter = ["site"]
    fields = ["site", "agenda", "starts_at", "ends_at", "reason"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    """Seat counters: read-only (they move with bookings only)."""

    list_display = ["agenda", "starts_at", "booked", "seats"]
    list_filter = ["agenda"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-only: bookings change through the agents' day view (which moves the spine request too)."""

    list_display = ["request", "motif", "starts_at", "status", "people", "ants_number"]
    list_filter = ["motif", "status", "agenda__site"]
    search_fields = ["request__reference", "ants_number", "request__contact_name", "request__contact_email"]
    date_hierarchy = "starts_at"
    list_select_related = ["request"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
