from django.contrib import admin

from encombrants.models import (
    Closure,
    Config,
    DayCapacity,
    Item,
    Pickup,
    PickupLine,
    QuartierSector,
    RefusedItem,
    Sector,
)


class QuartierSectorInline(admin.TabularInline):
    model = QuartierSector
    extra = 0


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    inlines = [QuartierSectorInline]


@admin.register(Config)
class ConfigAdmin(admin.ModelAdmin):
    """The one row of limits (pk 1): added once, never deleted."""

    list_display = [
        "__str__",
        "pickups_per_day",
        "volume_per_day_l",
        "max_volume_l",
        "max_items",
        "yearly_quota",
    ]

    def has_add_permission(self, request):
        return not Config.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["day", "sector", "reason"]
    list_filter = ["sector"]
    date_hierarchy = "day"


@admin.register(DayCapacity)
class DayCapacityAdmin(admin.ModelAdmin):
    """Staff may create a day's counter in advance or change its maxima; the booked counts move only with
    pickups (and a maximum below them is refused by the CHECK constraints)."""

    list_display = ["day", "sector", "pickups_booked", "pickups_max", "volume_booked", "volume_max"]
    list_filter = ["sector"]
    date_hierarchy = "day"
    readonly_fields = ["pickups_booked", "volume_booked"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit_volume_l", "max_per_pickup", "active", "order"]
    list_editable = ["unit_volume_l", "max_per_pickup", "active", "order"]


@admin.register(RefusedItem)
class RefusedItemAdmin(admin.ModelAdmin):
    list_display = ["name", "destination", "order"]


class PickupLineInline(admin.TabularInline):
    model = PickupLine
    extra = 0
    fields = ["item", "quantity", "unit_volume_l", "refused"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pickup)
class PickupAdmin(admin.ModelAdmin):
    """Read-only: pickups change through the app's pages (which move the spine request too)."""

    list_display = [
        "request",
        "day",
        "sector",
        "street",
        "street_number",
        "status",
        "volume_l",
        "items_count",
    ]
    list_filter = ["sector", "status"]
    search_fields = ["request__reference", "street__name", "request__contact_name"]
    date_hierarchy = "day"
    list_select_related = ["request", "sector", "street"]
    inlines = [PickupLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
