"""Admin for the acts of prosecutorial response (view only), the offices' outgoing counters, the
gravity table of the Criminal Code's articles, the crime statistics' imports, and the cases,
projects, facilities and highlights (view only).

Acts change only through supervision.services (each change leaves an event, and a numbered letter
keeps its number). The counters are editable so an office moving to Tartip can continue its
paper register's numbering for the year. The gravity table is reference data, filled only from a
source each row names; imports change only through their pages.
"""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ActAmount,
    ArticleGravity,
    CaseEvent,
    CrimeImport,
    CriminalCase,
    FacilityEvent,
    Highlight,
    InvestmentProject,
    OutgoingCounter,
    ProjectEvent,
    SocialFacility,
    SupervisoryAct,
    SupervisoryActEvent,
)


class SupervisoryActEventInline(ReadOnlyInline):
    model = SupervisoryActEvent
    fields = ("at", "kind", "actor", "data")
    readonly_fields = fields


class ActAmountInline(ReadOnlyInline):
    model = ActAmount
    fields = ("on", "heading", "amount", "preliminary", "recovery", "at", "actor")
    readonly_fields = fields


@admin.register(SupervisoryAct)
class SupervisoryActAdmin(ReadOnlyAdmin):
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
    inlines = [SupervisoryActEventInline, ActAmountInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in SupervisoryAct._meta.fields] + ["reports"]


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
class CrimeImportAdmin(ReadOnlyAdmin):
    """View only: an import is made and read through its pages (supervision.services.crime)."""

    list_display = ("original_name", "region", "period_start", "period_end", "status", "rows_ok", "rows_failed")
    list_filter = ("status", "region")
    exclude = ("changes", "header", "columns")


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("on", "kind", "stage", "charged", "in_custody", "recovered_added", "kg_added", "convicted", "at", "actor")
    readonly_fields = fields


@admin.register(CriminalCase)
class CriminalCaseAdmin(ReadOnlyAdmin):
    """View only: a case changes through its pages (supervision.services.cases), each change an event."""

    list_display = ("erdr_number", "registered_on", "article", "district", "stage", "office")
    list_filter = ("stage", "investigating_body", "high_profile", "region")
    search_fields = ("erdr_number", "article")
    list_select_related = ("district", "office")
    inlines = [CaseEventInline]


class ProjectEventInline(ReadOnlyInline):
    model = ProjectEvent
    fields = ("on", "kind", "status", "problems_added", "note", "at", "actor")
    readonly_fields = fields


@admin.register(InvestmentProject)
class InvestmentProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "investor", "district", "level", "status", "office")
    list_filter = ("status", "level", "region")
    search_fields = ("name", "investor")
    list_select_related = ("district", "office")
    inlines = [ProjectEventInline]


class FacilityEventInline(ReadOnlyInline):
    model = FacilityEvent
    fields = ("on", "kind", "status", "percent_done", "at", "actor")
    readonly_fields = fields


@admin.register(SocialFacility)
class SocialFacilityAdmin(ReadOnlyAdmin):
    list_display = ("name", "type", "district", "status", "percent_done", "completed_on")
    list_filter = ("status", "type", "region")
    search_fields = ("name",)
    list_select_related = ("district",)
    exclude = ("source_case", "source_act")
    inlines = [FacilityEventInline]


@admin.register(Highlight)
class HighlightAdmin(ReadOnlyAdmin):
    list_display = ("on", "area", "status", "office")
    list_filter = ("status", "area", "region")
    list_select_related = ("office",)
