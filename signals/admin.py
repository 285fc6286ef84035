"""Admin for the categories (with their extra fields) and the routing rules; reports are view-only.

Reports change only through signals.services (the workflow and its events); their reporters'
contacts are not shown here at all (prosecutors see them in Tartip, each view audited).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AnswerTemplate, Category, CategoryAttribute, Report, ReportEvent, RoutingRule

NAME_FIELDS = ("name_kk", "name_ru", "name_en")
DESCRIPTION_FIELDS = ("description_kk", "description_ru", "description_en")


class CategoryAttributeInline(admin.StackedInline):
    model = CategoryAttribute
    extra = 0
    fields = (("code", "datatype", "required", "order"), *DESCRIPTION_FIELDS, "values")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_ru",
        "body_type",
        "deadline_days",
        "deadline_hours",
        "requires_photo",
        "requires_location",
        "sensitive",
        "is_active",
        "sort_order",
    )
    list_filter = ("body_type", "sensitive", "is_active")
    list_editable = ("sort_order",)
    search_fields = ("code", *NAME_FIELDS, "keywords")
    inlines = [CategoryAttributeInline]
    fieldsets = (
        (None, {"fields": ("code", "is_active", "sort_order", *NAME_FIELDS, *DESCRIPTION_FIELDS, "keywords")}),
        (
            _("Routing and deadline (Tartip defaults, not terms of law)"),
            {"fields": ("body_type", "deadline_days", "deadline_hours")},
        ),
        (_("Intake"), {"fields": ("requires_photo", "requires_location", "sensitive")}),
    )


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("region", "category", "district", "body", "note")
    list_filter = ("region", "category")
    search_fields = ("body__code", "note", "category__code", "district__kato")
    list_select_related = ("region", "category", "district", "body")
    autocomplete_fields = ("body", "district")


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = ("at", "kind", "from_status", "to_status", "body", "actor", "data")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """View only: every change to a report goes through the workflow service and leaves an event."""

    list_display = ("reference", "category", "district", "body", "channel", "status", "submitted_at", "deadline_at")
    list_filter = ("status", "channel", "category", "region", "sensitive")
    search_fields = ("reference",)
    date_hierarchy = "submitted_at"
    list_select_related = ("category", "district", "body")
    exclude = ("tracking_token_hash", "idempotency_key")
    inlines = [ReportEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Report._meta.fields if field.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    """Starting answers a body picks from: for a body type, or one organisation's own."""

    list_display = ("name_ru", "body_type", "organisation", "category", "result", "is_active")
    list_filter = ("body_type", "result", "is_active")
    search_fields = (*NAME_FIELDS, "text_ru", "text_kk", "text_en")
    autocomplete_fields = ("organisation",)
    fields = (
        *NAME_FIELDS,
        ("body_type", "organisation", "category"),
        ("result", "measures"),
        "text_kk",
        "text_ru",
        "text_en",
        "is_active",
    )
