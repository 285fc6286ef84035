"""The registry's forms: their shape only; registry.services checks the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from accounts.scoping import visible_districts
from lib import photos
from lib.forms import ServiceErrorsMixin
from lib.photos import PhotoInput

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
    photo = forms.FileField(label=_("Photo (JPEG, PNG or HEIC)"), required=False, widget=PhotoInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_photo(self):
        """Decoded with a pixel limit and re-encoded without its metadata (a GPS position)."""
        photo = self.cleaned_data.get("photo")
        return photos.clean_photo(photo) if photo else None

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = visible_districts(user, District.objects.all()).order_by("kato")
