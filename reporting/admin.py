"""The catalogue in the administration. A computed metric's definition lives in its app's
`metrics.py` (reporting.catalogue syncs it): the administrator edits its names, hedging and order
only. Submitted and imported metrics are added and edited here in full. No metric is deleted: a
summary computed earlier names it; one no longer wanted is retired."""

from django.contrib import admin

from lib.metrics import Source

from .models import Metric, MetricReading

EDITABLE_OF_COMPUTED = {"name_kk", "name_ru", "name_en", "hedging", "order"}


class MetricReadingInline(admin.TabularInline):
    model = MetricReading
    extra = 0


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "area", "unit", "kind", "source", "version", "order", "retired_at")
    list_filter = ("area", "source", "kind", "unit")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    ordering = ("area", "order", "code")
    inlines = (MetricReadingInline,)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.source == Source.COMPUTED:
            return [f.name for f in Metric._meta.fields if f.name not in EDITABLE_OF_COMPUTED and f.name != "id"]
        return ["group", "version"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "source" in form.base_fields:
            # Computed metrics come from the code; the administrator adds the others.
            field = form.base_fields["source"]
            field.choices = [choice for choice in field.choices if choice[0] != Source.COMPUTED]
        return form

    def has_delete_permission(self, request, obj=None):
        return False
