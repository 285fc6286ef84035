"""Forms of the criminal cases under control: they check the input's shape; the services
(supervision.services.cases) decide, and their refusals come back on the field they name."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lib.forms import ServiceErrorsMixin

from .models import CriminalCase, DropperArticle, Gravity, InvestigatingBody, Stage
from .services.cases import ERDR_DIGITS, FLAGS, KG_MAX, NOTE_MAX, PERSONS_MAX, SUMMARY_MAX, TENGE_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TENGE = {"min_value": 0, "max_value": TENGE_MAX, "max_digits": 18, "decimal_places": 2}
KG = {"min_value": 0, "max_value": KG_MAX, "max_digits": 12, "decimal_places": 3}
PERSONS = {"min_value": 0, "max_value": PERSONS_MAX}


def _flag_choices():
    return [(name, CriminalCase._meta.get_field(name).verbose_name) for name in FLAGS]


class CaseForm(ServiceErrorsMixin, forms.Form):
    """A case taken under the user's office's control."""

    erdr_number = forms.CharField(
        label=_("ERDR number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    registered_on = forms.DateField(label=_("Registered in the ERDR on"), widget=DATE_INPUT)
    district = forms.ModelChoiceField(label=_("District"), queryset=None)
    article = forms.CharField(
        label=_("Article of the Criminal Code"), max_length=10, help_text=_("Such as 190 or 232-1.")
    )
    article_part = forms.CharField(label=_("Part"), max_length=10, required=False)
    gravity = forms.ChoiceField(
        label=_("Gravity"), choices=[("", _("— not given —")), *Gravity.choices], required=False
    )
    investigating_body = forms.ChoiceField(label=_("Investigating body"), choices=InvestigatingBody.choices)
    initiated_by_prosecutor = forms.BooleanField(label=_("Initiated by the prosecutor's office"), required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the case is about, without names of private persons."),
    )
    dropper_article = forms.ChoiceField(label=_("Dropper case"), choices=DropperArticle.choices, required=False)
    charged = forms.IntegerField(label=_("Persons charged"), initial=0, **PERSONS)
    in_custody = forms.IntegerField(label=_("Persons in custody"), initial=0, **PERSONS)
    damage = forms.DecimalField(label=_("Damage, tenge"), initial=0, **TENGE)
    flags = forms.MultipleChoiceField(
        label=_("Flags"), choices=_flag_choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        # Interpolated here, in the request's language (a lazy text's % is not lazy).
        self.fields["erdr_number"].help_text = _(
            "%(digits)d digits, the first two the year of registration (for 2025: 25 followed by 13 digits); "
            "spaces and dashes are dropped."
        ) % {"digits": ERDR_DIGITS}

    def main_fields(self) -> list:
        """The fields the shared include renders (the flags and the initiative are checkboxes of
        a fieldset of their own)."""
        return [field for field in self if field.name not in ("flags", "initiated_by_prosecutor")]

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["flags"] = dict.fromkeys(data.get("flags") or (), True)
        data["dropper_article"] = data.get("dropper_article") or ""
        return data


class CaseStageForm(ServiceErrorsMixin, forms.Form):
    """The case moved to its next stage; the verdict with the persons convicted and imprisoned."""

    stage = forms.ChoiceField(label=_("New stage"))
    on = forms.DateField(label=_("Date of the change"), widget=DATE_INPUT)
    convicted = forms.IntegerField(
        label=_("Persons convicted"), required=False, help_text=_("For a verdict."), **PERSONS
    )
    imprisoned = forms.IntegerField(
        label=_("Sentenced to imprisonment"), required=False, help_text=_("For a verdict."), **PERSONS
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(stage, capfirst(Stage(stage).label)) for stage in stages]
        if Stage.VERDICT not in stages:
            del self.fields["convicted"], self.fields["imprisoned"]

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["convicted"] = data.get("convicted") or 0
        data["imprisoned"] = data.get("imprisoned") or 0
        return data


class CaseAppealForm(ServiceErrorsMixin, forms.Form):
    """An appellate petition on the verdict decided: satisfied or not, the persons as they now stand."""

    on = forms.DateField(label=_("Decided on"), widget=DATE_INPUT)
    satisfied = forms.TypedChoiceField(
        label=_("Appellate petition"),
        choices=[("yes", _("satisfied")), ("no", _("not satisfied"))],
        coerce=lambda value: value == "yes",
    )
    convicted = forms.IntegerField(
        label=_("Persons convicted"), required=False, help_text=_("Blank: as the verdict stands."), **PERSONS
    )
    imprisoned = forms.IntegerField(
        label=_("Sentenced to imprisonment"), required=False, help_text=_("Blank: as the verdict stands."), **PERSONS
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class CasePersonsForm(ServiceErrorsMixin, forms.Form):
    on = forms.DateField(label=_("As of"), widget=DATE_INPUT)
    charged = forms.IntegerField(label=_("Persons charged"), **PERSONS)
    in_custody = forms.IntegerField(label=_("Persons in custody"), **PERSONS)


class CaseAmountsForm(ServiceErrorsMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    damage = forms.DecimalField(
        label=_("Damage, tenge"), required=False, help_text=_("As now established; blank: unchanged."), **TENGE
    )
    recovered_added = forms.DecimalField(
        label=_("Recovered now, tenge"), required=False, help_text=_("Added to the amount recovered so far."), **TENGE
    )
    kg_added = forms.DecimalField(
        label=_("Drugs seized now, kg"), required=False, help_text=_("Added to the kilograms seized so far."), **KG
    )

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["recovered_added"] = data.get("recovered_added") or 0
        data["kg_added"] = data.get("kg_added") or 0
        return data
