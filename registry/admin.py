from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.admin import ReadOnlyAdmin

from .indicators import InvalidIndicator, normalize
from .models import BlockingItem, BlockingRequest, IgnoredValue, Notice


class IgnoredValueForm(forms.ModelForm):
    """A value of the allow-list, typed any way: kept in its kind's normal form, by its keyed hash."""

    value = forms.CharField(label=_("value"), max_length=400)

    class Meta:
        model = IgnoredValue
        fields = ["kind", "value", "label", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["value"].initial = self.instance.shown

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("value"):
            try:
                self.found = normalize(data["kind"], data["value"])
            except InvalidIndicator as error:
                raise ValidationError({"value": str(error)}) from None
        return data

    def save(self, commit=True):
        self.instance.value_hash = self.found.hash
        self.instance.shown = self.found.shown
        return super().save(commit)


@admin.register(IgnoredValue)
class IgnoredValueAdmin(admin.ModelAdmin):
    form = IgnoredValueForm
    list_display = ("shown", "kind", "reason", "label", "at")
    list_filter = ("kind", "reason")
    search_fields = ("shown", "label")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.actor = request.user
        super().save_model(request, obj, form, change)


class BlockingItemInline(admin.TabularInline):
    model = BlockingItem
    fields = ("indicator", "status", "amount", "answered_on", "ended_on", "note")
    readonly_fields = fields
    can_delete = False
    extra = 0


class ToRead(ReadOnlyAdmin):
    """Rows the administrator reads but never changes: they change only through the registry's
    pages (registry.services), each step an event."""


@admin.register(BlockingRequest)
class BlockingRequestAdmin(ToRead):
    list_display = ("outgoing_number", "addressee", "status", "sent_at", "region")
    list_filter = ("status", "addressee__type")
    search_fields = ("outgoing_number",)
    inlines = [BlockingItemInline]


@admin.register(Notice)
class NoticeAdmin(ToRead):
    """Banks' and the antifraud centre's notices with their counts (the file stays in its private
    storage; its rows' errors are on the notice's page)."""

    list_display = ("original_name", "organisation", "number", "dated", "status", "rows_read", "rows_ok", "uploaded_at")
    list_filter = ("status", "source", "region")
    search_fields = ("original_name", "number")
    exclude = ("header", "mapping", "uncached_formulas", "failure")
