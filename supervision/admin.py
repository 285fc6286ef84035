"""Admin for the acts of prosecutorial response (view only), the offices' outgoing counters, the
gravity table of the Criminal Code's articles, and the crime statistics' imports (view only).

Acts change only through supervision.services (each change leaves an event, and a numbered letter
keeps its number). The counters are editable so an office moving to Tartip can continue its
paper register's numbering for the year. The gravity table is reference data, filled only from a
source each row names; imports change only through their pages.
"""

from django.contrib import admin

from .models import ArticleGravity, CrimeImport, OutgoingCounter, SupervisoryAct, SupervisoryActEvent


class SupervisoryActEventInline(admin.TabularInline):
    model = SupervisoryActEvent
    extra = 0
    fields = ("at", "kind", "actor", "data")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupervisoryAct)
class SupervisoryActAdmin(admin.ModelAdmin):
    """View only: acts are recorded, numbered and decided through the services."""

    list_display = (
        "date",
        "type",
        "issuing_office",
        "addressee",
        "outgoing_number",
        "outcome",
        "officials_disciplined",
    )
    list_filter = ("type", "outcome", "language", "region")
    search_fields = ("outgoing_number", "addressee_title", "issuing_office__code", "addressee__code")
    date_hierarchy = "date"
    list_select_related = ("issuing_office", "addressee")
    inlines = [SupervisoryActEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in SupervisoryAct._meta.fields] + ["reports"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingCounter)
class OutgoingCounterAdmin(admin.ModelAdmin):
    list_display = ("office", "year", "last")
    list_filter = ("year",)
    search_fields = ("office__code",)
    list_select_related = ("office",)
    autocomplete_fields = ("office",)


@admin.register(ArticleGravity)
class ArticleGravityAdmin(admin.ModelAdmin):
    list_display = ("article", "part", "gravity", "source")
    list_filter = ("gravity",)
    search_fields = ("article", "source")


@admin.register(CrimeImport)
class CrimeImportAdmin(admin.ModelAdmin):
    """View only: an import is made and read through its pages (supervision.services.crime)."""

    list_display = ("original_name", "region", "period_start", "period_end", "status", "rows_ok", "rows_failed")
    list_filter = ("status", "region")
    exclude = ("changes", "header", "columns")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
