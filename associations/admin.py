from django.contrib import admin

from associations.models import Association, Axis, Campaign, Dossier, Membership


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 1


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "opens_on", "closes_on"]
    inlines = [AxisInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "rna", "siret", "conventionnee"]
    search_fields = ["name", "rna", "siret"]
    inlines = [MembershipInline]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["title", "association", "campaign", "status", "amount_asked", "granted_amount"]
    list_filter = ["campaign", "status"]
    readonly_fields = [field.name for field in Dossier._meta.fields]
