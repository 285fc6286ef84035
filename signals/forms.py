"""The report form: the public one (/report/) and the one staff fill in for a caller (/signals/new/).

The form checks what a form can check (lengths, a place, contact only with consent, photos); the
category's own rules (required photo or point, its extra fields) are checked again by the
`report_submit` service, whose errors come back onto the same fields (`add_service_errors`).
"""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation
from lib.forms import ServiceErrorsMixin
from lib.i18n import localized
from lib.photos import ACCEPT_PHOTOS, PhotoInput, clean_photo
from signals.models import Category, CategoryAttribute, Report
from signals.services import attribute_label

ATTRIBUTE_PREFIX = "attribute_"
DESCRIPTION_MAX = 4000
PHONE_RE = re.compile(r"^\+?[\d\s()\-]{7,20}$")

# Service error keys -> the form field that shows them, where the names differ.
SERVICE_ERROR_FIELDS = {
    "location": "address",
    "latitude": "address",
    "longitude": "address",
    "contact": "contact_consent",
}


class MultiplePhotoInput(PhotoInput):
    """Several photos; the caps ride on the input, so the browser refuses a photo over them, or
    too many, before anything is uploaded (js/upload-cap.js)."""

    allow_multiple_selected = True

    def get_context(self, name, value, attrs):
        limit = settings.REPORT_PHOTO_MAX_COUNT
        caps = {"data-max-files": limit, "data-too-many-text": _("Attach at most %(limit)s photos.") % {"limit": limit}}
        return super().get_context(name, value, {**caps, **(attrs or {})})


class PhotosField(forms.FileField):
    """Up to REPORT_PHOTO_MAX_COUNT photos, each cleaned by lib.photos.clean_photo."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT_PHOTOS}

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        limit = settings.REPORT_PHOTO_MAX_COUNT
        if len(files) > limit:
            raise ValidationError(
                _("Attach at most %(limit)s photos."), code="too_many_photos", params={"limit": limit}
            )
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(clean_photo(uploaded))
            except ValidationError as error:
                for message in error.messages:
                    errors.append(
                        ValidationError(
                            _("%(file)s: %(error)s"), code="bad_photo", params={"file": uploaded.name, "error": message}
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return cleaned


def category_choices(categories) -> list:
    """Categories grouped under the body that answers them, in the reference order."""
    groups: dict[str, list] = {}
    for category in categories:
        label = capfirst(Organisation.Type(category.body_type).label) if category.body_type else _("Other")
        groups.setdefault(str(label), []).append((category.pk, category.name))
    return [("", _("— choose what happened —")), *groups.items()]


def attribute_field(attribute: CategoryAttribute) -> forms.Field:
    label = attribute_label(attribute)
    common = {"label": label, "required": attribute.required}
    kind = CategoryAttribute.Datatype
    if attribute.datatype == kind.NUMBER:
        return forms.DecimalField(max_digits=18, decimal_places=6, **common)
    if attribute.datatype == kind.DATETIME:
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
            **common,
        )
    if attribute.datatype == kind.TEXT:
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if attribute.datatype in (kind.SINGLE, kind.MULTI):
        choices = [(value["key"], _value_name(value)) for value in attribute.values]
        if attribute.datatype == kind.SINGLE:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(max_length=300, **common)


def _value_name(value: dict) -> str:
    return localized(value, "name") or value["key"]


class ContactMixin:
    """The reporter's optional contact (fields contact_consent, contact_name, contact_phone,
    contact_email): kept only with consent, consent only with a contact, a phone in digits."""

    @property
    def contact_fields(self):
        return [self["contact_name"], self["contact_phone"], self["contact_email"]]

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Write the phone number with digits only, e.g. +7 701 234 5678."), code="phone")
        return phone

    def check_contact(self, data: dict) -> None:
        """Call from clean()."""
        contact = [data.get(name, "") for name in ("contact_name", "contact_phone", "contact_email")]
        if any(contact) and not data.get("contact_consent"):
            self.add_error(
                "contact_consent",
                _("Tick this box so that we may keep your contact details, or leave them empty to stay anonymous."),
            )
        elif data.get("contact_consent") and not any(contact) and not self.errors.get("contact_email"):
            self.add_error("contact_name", _("Give at least your name, phone or email, or untick the box."))

    def contact(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("contact_consent"):
            return None
        return {"name": data["contact_name"].strip(), "phone": data["contact_phone"], "email": data["contact_email"]}


class ReportForm(ServiceErrorsMixin, ContactMixin, forms.Form):
    service_error_fields = SERVICE_ERROR_FIELDS

    category = forms.ModelChoiceField(
        label=_("Kind of offence"),
        queryset=Category.objects.filter(is_active=True),
        error_messages={"required": _("Choose what the report is about.")},
    )
    description = forms.CharField(
        label=_("Describe it"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What, when, who was involved. Up to 4,000 characters."),
        error_messages={"required": _("Describe what happened.")},
    )
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, widget=forms.HiddenInput
    )
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=300,
        required=False,
        help_text=_("Street and house, a shop or a bus stop nearby: needed if you do not mark the map."),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("I don't know (worked out from the map)"),
    )
    photos = PhotosField(
        label=_("Attach photos"),
        help_text=_("Up to 5 photos (JPEG, PNG or HEIC). Location and camera data are removed from them."),
    )
    contact_consent = forms.BooleanField(
        label=_("I agree that the prosecutor's office keeps my contact details and may contact me about this report."),
        required=False,
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, districts=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(self.fields["category"].queryset)
        self.fields["district"].queryset = (
            districts if districts is not None else District.objects.for_choices().order_by("region", "kato")
        )
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["description"].widget.attrs["maxlength"] = DESCRIPTION_MAX
        self.chosen_category = self._chosen_category()
        self.attribute_names = []
        if self.chosen_category is not None:
            for attribute in self.chosen_category.attributes.all():
                name = f"{ATTRIBUTE_PREFIX}{attribute.code}"
                self.fields[name] = attribute_field(attribute)
                self.attribute_names.append(name)

    def _chosen_category(self) -> Category | None:
        value = self.data.get(self.add_prefix("category")) if self.is_bound else self.initial.get("category")
        if isinstance(value, Category):
            return value
        if not value or not str(value).isdigit():
            return None
        return Category.objects.filter(is_active=True, pk=int(value)).first()

    # --- The parts of the form, for the templates ---------------------------------------------

    @property
    def attribute_fields(self):
        return [self[name] for name in self.attribute_names]

    @property
    def photos_lost(self) -> bool:
        """Photos were attached but the form came back with errors: the browser does not keep them."""
        return self.is_bound and bool(self.files.getlist(self.add_prefix("photos"))) and bool(self.errors)

    # --- Checks ----------------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("address", _("The point on the map is incomplete: mark it again."))
        elif latitude is None and not data.get("address", "").strip() and "address" not in self.errors:
            self.add_error("address", _("Mark the place on the map or write its address."))
        self.check_contact(data)
        return data

    def service_error_field(self, key: str) -> str | None:
        """report_submit's errors about extra fields name them `attributes.<code>` or the like."""
        if key == "attributes" or key.startswith(ATTRIBUTE_PREFIX) or key.startswith("attribute"):
            code = key.removeprefix("attributes").removeprefix(ATTRIBUTE_PREFIX).strip(".[]_")
            key = f"{ATTRIBUTE_PREFIX}{code}"
        return super().service_error_field(key)

    # --- What the service receives ---------------------------------------------------------------

    def attribute_values(self) -> dict:
        values = {}
        for name in self.attribute_names:
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            values[name.removeprefix(ATTRIBUTE_PREFIX)] = value
        return values

    def submission(self) -> dict:
        """Keyword arguments for signals.services.report_submit (without actor and channel)."""
        data = self.cleaned_data
        district = data.get("district")
        return {
            "category": data["category"],
            "description": data["description"],
            "district": district,
            "region": district.region if district else None,
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "address": data.get("address", "").strip(),
            "attributes": self.attribute_values(),
            "photos": data.get("photos") or [],
            "contact": self.contact(),
        }


class StaffReportForm(ReportForm):
    """A report taken from a caller or a visitor: the same form, the channel, and a district the
    member of staff works in (so the report stays within their sight)."""

    STAFF_CHANNELS = (Report.Channel.HOTLINE, Report.Channel.RECEPTION, Report.Channel.OTHER)

    channel = forms.ChoiceField(
        label=_("How the report came in"),
        choices=[(channel.value, capfirst(channel.label)) for channel in STAFF_CHANNELS],
        initial=Report.Channel.HOTLINE,
    )
    field_order = ["channel"]

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, districts=districts, **kwargs)
        district = self.fields["district"]
        district.required = True
        district.empty_label = _("— choose the district —")
        district.error_messages["required"] = _("Choose the district the report is about.")
        self.fields["contact_consent"].label = _(
            "The caller agrees that the prosecutor's office keeps their contact details and may contact them."
        )
        self.fields["contact_name"].label = _("Caller's name")
        self.fields["description"].label = _("What the caller reports")
