from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .indicators import InvalidIndicator, normalize
from .models import IgnoredValue


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
