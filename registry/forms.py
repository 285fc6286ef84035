"""The registry's forms: their shape only; registry.services checks the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from accounts.scoping import visible_districts
from lib.forms import ServiceErrorsMixin

from .indicators import Kind
from .models import Outreach


class SearchForm(forms.Form):
    value = forms.CharField(
        label=_("Account, card, phone, link or name"),
        max_length=400,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class EntryForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    value = forms.CharField(label=_("Value"), max_length=400)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    note = forms.CharField(label=_("Where it was found"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = visible_districts(user, District.objects.all()).order_by("kato")


class OutreachForm(ServiceErrorsMixin, forms.Form):
    project = forms.ChoiceField(label=_("Project"), choices=Outreach.Project.choices)
    kind = forms.ChoiceField(label=_("Kind of work"), choices=Outreach.Kind.choices)
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=1_000_000)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    link = forms.URLField(
        label=_("Link (a publication, a photo album)"), max_length=500, required=False, assume_scheme="https"
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = visible_districts(user, District.objects.all()).order_by("kato")


class PeriodForm(forms.Form):
    """The period of the networks' list: from and to (both included), the current year by default."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data
