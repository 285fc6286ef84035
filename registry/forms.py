"""The registry's forms: their shape only; registry.services checks the rest."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation
from accounts.scoping import visible_districts
from lib import photos
from lib.forms import ServiceErrorsMixin
from lib.photos import PhotoInput
from lib.tables import column_letter

from .indicators import Kind
from .models import Outreach
from .notices import Field


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


class NoticeUploadForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Sent by"), queryset=Organisation.objects.none())
    number = forms.CharField(label=_("Notice number"), max_length=100, required=False)
    dated = forms.DateField(
        label=_("Notice date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date of a row that gives none."),
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,text/csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        region_id = user.organisation.region_id if user.organisation_id else None
        senders = Organisation.objects.filter(type__in=[Organisation.Type.BANK, Organisation.Type.ANTIFRAUD_CENTRE])
        senders = senders.filter(models.Q(region__isnull=True) | models.Q(region_id=region_id))
        self.fields["organisation"].queryset = senders.order_by("type", "name_ru")


class NoticeMappingForm(forms.Form):
    """One select a column of the notice: the field it holds, or ignored."""

    def __init__(self, *args, header: list[str], mapping: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for index, title in enumerate(header):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=title or column_letter(index),
                choices=Field.choices,
                initial=mapping[index] if index < len(mapping) else "",
                required=False,
            )

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{index}", "") or "" for index in range(len(self.fields))]


class PeriodForm(forms.Form):
    """The period of the networks' list: from and to (both included), the current year by default."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data
