"""Forms of the public pages around a report: "me too", the reporter's follow-up through the
tracking link, the duplicate-suggestion query and the public map's filters.

The contact part of "me too" follows the rules of the report form (signals.forms.ReportForm):
a contact only with consent, consent only with a contact, a phone written with digits.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import District
from lib.forms import ServiceErrorsMixin
from signals.categories import get_category
from signals.forms import ContactMixin, PhotosField, ReportForm
from signals.models import Category, Report
from signals.services import FOLLOW_UP_MAX

Status = Report.Status


# --- "me too" -----------------------------------------------------------------------------------


class MeTooForm(ServiceErrorsMixin, ContactMixin, forms.Form):
    """Optional contact of the person joining a report (the same fields as the report form)."""

    service_error_fields = {"contact": "contact_consent"}

    contact_consent = ReportForm.base_fields["contact_consent"]
    contact_name = ReportForm.base_fields["contact_name"]
    contact_phone = ReportForm.base_fields["contact_phone"]
    contact_email = ReportForm.base_fields["contact_email"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        data = super().clean()
        self.check_contact(data)
        return data


# --- follow-up by the reporter ------------------------------------------------------------------


class FollowUpForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("What you want to add"),
        max_length=FOLLOW_UP_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not write your name or other details about yourself if you want to stay anonymous."),
    )
    photos = PhotosField(
        label=_("Attach photos"),
        help_text=_("JPEG, PNG or HEIC. Location and camera data are removed from them."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "info")
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = FOLLOW_UP_MAX

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("photos"):
            self.add_error("text", _("Write something or attach a photo."))
        return data

    @property
    def photos_lost(self) -> bool:
        """Photos were attached but the form came back with errors: the browser does not keep them."""
        return self.is_bound and bool(self.files.getlist(self.add_prefix("photos"))) and bool(self.errors)


class NotResolvedForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("What is still wrong"),
        max_length=FOLLOW_UP_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what is still wrong.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "reopen")
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = FOLLOW_UP_MAX


RATING_CHOICES = [(value, str(value)) for value in range(1, 6)]


class RatingForm(ServiceErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well did the answer resolve things? 1: not at all, 5: fully"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Rate from 1 to 5."), "invalid_choice": _("Rate from 1 to 5.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "rate")
        super().__init__(*args, **kwargs)


# --- duplicate suggestions ----------------------------------------------------------------------


class NearbyForm(forms.Form):
    """GET /report/nearby/?category=<code or id>&latitude=..&longitude=.."""

    category = forms.CharField(max_length=60, error_messages={"required": _("Choose a category.")})
    latitude = forms.DecimalField(max_digits=12, decimal_places=8, min_value=-90, max_value=90)
    longitude = forms.DecimalField(max_digits=12, decimal_places=8, min_value=-180, max_value=180)

    def clean_category(self) -> Category:
        value = self.cleaned_data["category"].strip()
        category = get_category(int(value) if value.isdigit() else value)
        if category is None:
            raise ValidationError(_("Unknown category."), code="unknown")
        return category


# --- the public map -----------------------------------------------------------------------------

MONTHS_DEFAULT = 12
MONTHS_CHOICES = (1, 3, 6, 12, 24)
# Merged reports are counted in the report they were merged into.
MAP_STATUSES = [status for status in Status.values if status != Status.DUPLICATE]


def public_categories():
    return Category.objects.filter(sensitive=False).order_by("sort_order", "code")


class MapFilterForm(forms.Form):
    """The public map's filters: a category code, a district (id or KATO code), a status and a
    number of months back. Every value is optional; an unknown one is an error, never ignored."""

    category = forms.CharField(label=_("Category"), required=False, max_length=60)
    district = forms.CharField(label=_("District"), required=False, max_length=20)
    status = forms.CharField(label=_("Status"), required=False, max_length=20)
    months = forms.CharField(label=_("Period"), required=False, max_length=3)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "map-%s")
        super().__init__(*args, **kwargs)
        self.categories = list(public_categories())
        self.districts = list(District.objects.for_choices().order_by("region__kato", "kato"))

    # Choices for the template's selects.
    @property
    def category_choices(self):
        return [(category.code, category.name) for category in self.categories]

    @property
    def district_choices(self):
        return [(str(district.pk), district.name) for district in self.districts]

    @property
    def status_choices(self):
        return [(status, capfirst(Status(status).label)) for status in MAP_STATUSES]

    @property
    def months_choices(self):
        return [
            (str(months), ngettext("last %(count)d month", "last %(count)d months", months) % {"count": months})
            for months in MONTHS_CHOICES
        ]

    def clean_category(self) -> Category | None:
        code = self.cleaned_data["category"].strip()
        if not code:
            return None
        # A sensitive category is unknown here: the public map never names it.
        category = next((category for category in self.categories if category.code == code), None)
        if category is None:
            raise ValidationError(_("Unknown category: choose one from the list."), code="unknown")
        return category

    def clean_district(self) -> District | None:
        value = self.cleaned_data["district"].strip()
        if not value:
            return None
        key = "kato" if len(value) == 9 else "pk"
        district = next((d for d in self.districts if str(getattr(d, key)) == value), None)
        if district is None:
            raise ValidationError(_("Unknown district: choose one from the list."), code="unknown")
        return district

    def clean_status(self) -> str:
        status = self.cleaned_data["status"].strip()
        if status and status not in MAP_STATUSES:
            raise ValidationError(_("Unknown status: choose one from the list."), code="unknown")
        return status

    def clean_months(self) -> int:
        value = self.cleaned_data["months"].strip()
        if not value:
            return MONTHS_DEFAULT
        if not value.isdigit() or int(value) not in MONTHS_CHOICES:
            raise ValidationError(
                _("Choose a period of %(choices)s months.") % {"choices": ", ".join(map(str, MONTHS_CHOICES))},
                code="unknown",
            )
        return int(value)

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""

    def query(self) -> str:
        """The validated filters as a query string (for the GeoJSON request of the page)."""
        data = self.cleaned_data
        values = {
            "category": data["category"].code if data.get("category") else "",
            "district": str(data["district"].pk) if data.get("district") else "",
            "status": data.get("status") or "",
            "months": str(data.get("months") or MONTHS_DEFAULT),
        }
        return urlencode({key: value for key, value in values.items() if value})
