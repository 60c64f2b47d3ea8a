from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import SignInEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    # `is_staff` (access to this admin) follows the roles: only administrators (roles.staff_flag).
    readonly_fields = ["is_staff", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Rôles et droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        staff = roles.staff_flag(
            is_superuser=user.is_superuser, role_names=user.groups.values_list("name", flat=True)
        )
        if user.is_staff != staff:
            User.objects.filter(pk=user.pk).update(is_staff=staff)
            user.is_staff = staff


class AdministratorsReadOnly(admin.ModelAdmin):
    """A journal: administrators read it, nobody writes it through the admin."""

    def has_module_permission(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.has_role(roles.ADMINISTRATOR))

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SignInEvent)
class SignInEventAdmin(AdministratorsReadOnly):
    list_display = ["at", "email", "user", "ip", "success"]
    list_filter = ["success", "at"]
    search_fields = ["email", "ip"]
    date_hierarchy = "at"
    list_select_related = ["user"]


@admin.register(LogEntry)
class LogEntryAdmin(AdministratorsReadOnly):
    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "get_change_message"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]
