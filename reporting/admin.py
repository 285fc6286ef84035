"""The catalogue in the administration. A computed metric's definition lives in its app's
`metrics.py` (reporting.catalogue syncs it): the administrator edits its names, hedging and order
only. Submitted and imported metrics are added and edited here in full. No metric is deleted: a
summary computed earlier names it; one no longer wanted is retired."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from lib.metrics import Source

from .catalogue import LANGUAGES
from .figures import Request, compute
from .models import Metric, MetricReading, MetricRule, SentenceTemplate
from .sentences import problems, render

EDITABLE_OF_COMPUTED = {"name_kk", "name_ru", "name_en", "hedging", "order"}


class MetricReadingInline(admin.TabularInline):
    model = MetricReading
    extra = 0


class MetricRuleInline(admin.TabularInline):
    """The submitted figures this one may not exceed, checked as the districts fill in their forms."""

    model = MetricRule
    fk_name = "lesser"
    extra = 0


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "area", "unit", "kind", "source", "version", "order", "retired_at")
    list_filter = ("area", "source", "kind", "unit")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    ordering = ("area", "order", "code")
    inlines = (MetricReadingInline, MetricRuleInline)

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


class SentenceTemplateForm(forms.ModelForm):
    """Refuses a text its language cannot fill: a placeholder naming no metric, a noun the grammar
    cannot agree, a trend without its two words (reporting.sentences.problems)."""

    class Meta:
        model = SentenceTemplate
        fields = ("order", "text_kk", "text_ru", "text_en")

    def clean(self):
        cleaned = super().clean()
        codes = set(Metric.objects.current().values_list("code", flat=True))
        for language in LANGUAGES:
            for problem in problems(cleaned.get(f"text_{language}") or "", language, codes):
                self.add_error(f"text_{language}", problem)
        return cleaned


@admin.register(SentenceTemplate)
class SentenceTemplateAdmin(admin.ModelAdmin):
    """The summary's sentences: declared by the apps, their texts and order edited here, with a
    preview on the region's figures of the year so far."""

    form = SentenceTemplateForm
    list_display = ("code", "area", "order", "retired_at")
    list_filter = ("area",)
    readonly_fields = ("code", "area", "retired_at", "preview")
    fields = ("code", "area", "order", "text_kk", "text_ru", "text_en", "preview", "retired_at")

    @admin.display(description=_("preview on this year's figures"))
    def preview(self, obj):
        region = Region.objects.filter(districts__isnull=False).order_by("pk").first()
        if obj is None or obj.pk is None or region is None:
            return "—"
        today = timezone.localdate()
        summary = compute(Request.make(region=region, start=today.replace(month=1, day=1), end=today))
        figures = {figure.code: figure for figure in summary.figures}
        lines = []
        for language in LANGUAGES:
            sentence = render(obj.text(language), language, figures)
            lines.append((language, sentence or _("(left out: no figure of it has a value for this period)")))
        return format_html_join(mark_safe("<br>"), "<b>{}</b>: {}", lines)

    def has_add_permission(self, request):
        return False  # the apps declare the sentences

    def has_delete_permission(self, request, obj=None):
        return False
