"""Admin for reference data only: regions, districts, organisations, calendar overrides.

(Users and the audit log are registered in accounts/admin_security.py.)
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ApiKey, CalendarOverride, District, Organisation, Region

NAME_FIELDS = ("name_kk", "name_ru", "name_en")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("kato", "short_code", *NAME_FIELDS, "population", "population_year", "time_zone")
    search_fields = ("kato", "short_code", *NAME_FIELDS)
    fieldsets = (
        (None, {"fields": ("kato", "short_code", *NAME_FIELDS, "time_zone")}),
        (_("Centre and population"), {"fields": ("centre_lat", "centre_lon", "population", "population_year")}),
        (_("Outline"), {"fields": ("outline",), "classes": ("collapse",)}),
        (_("Source"), {"fields": ("source",)}),
    )


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("kato", *NAME_FIELDS, "kind", "region", "parent", "population", "boundary_approximate")
    list_filter = ("region", "kind", "boundary_approximate")
    search_fields = ("kato", *NAME_FIELDS, "centre_kk", "centre_ru", "centre_en")
    list_select_related = ("region", "parent")
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("region", "kato", "kind", "parent", *NAME_FIELDS)}),
        (
            _("Centre and population"),
            {
                "fields": (
                    "centre_kk",
                    "centre_ru",
                    "centre_en",
                    "centre_lat",
                    "centre_lon",
                    "population",
                    "population_year",
                )
            },
        ),
        (
            _("Boundary"),
            {"fields": ("boundary_approximate", "boundary_source", "boundary"), "classes": ("collapse",)},
        ),
        (_("Source"), {"fields": ("source",)}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ru", "name_kk", "kind", "type", "region", "parent", "bank_code", "is_active")
    list_filter = ("kind", "type", "region", "is_active")
    search_fields = ("code", *NAME_FIELDS, "bank_code", "bic")
    list_select_related = ("region", "parent")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("districts",)
    fieldsets = (
        (None, {"fields": ("code", "kind", "type", "region", "parent", "is_active", *NAME_FIELDS)}),
        (_("Served districts"), {"fields": ("districts",)}),
        (_("Bank"), {"fields": ("bank_code", "bic")}),
        (_("Source"), {"fields": ("source",)}),
    )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "reason")
    list_filter = ("kind",)
    search_fields = ("reason", "source")
    date_hierarchy = "date"


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created by `manage.py create_api_key` (the key is printed once); here they are
    listed, limited, given an expiry or revoked. The hash is never editable."""

    list_display = ("prefix", "name", "organisation", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("organisation",)
    search_fields = ("prefix", "name", "organisation__code")
    list_select_related = ("organisation",)
    fields = (
        "name",
        "organisation",
        "prefix",
        "key_hash",
        "rate_limit_per_minute",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = ("organisation", "prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False
