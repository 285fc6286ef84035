"""Forms of the acts of prosecutorial response: they check the input's shape; the services decide."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import ServiceErrorsMixin
from lib.metrics import Area

from .models import BENEFICIARY_FIELDS, ActAmount, BusinessMatter, SupervisoryAct
from .services import ADDRESSEE_TITLE_MAX, LEGAL_BASIS_MAX, NOTE_MAX, OFFICIALS_MAX, REPORTS_MAX, SUMMARY_MAX
from .services.acts import AMOUNT_MAX, BENEFICIARIES_MAX, VIOLATIONS_MAX

Outcome = SupervisoryAct.Outcome
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActForm(ServiceErrorsMixin, forms.Form):
    type = forms.ChoiceField(label=_("Type of act"), choices=SupervisoryAct.Type.choices)
    date = forms.DateField(label=_("Date of the act"), widget=DATE_INPUT)
    language = forms.ChoiceField(label=_("Language of the letter"), choices=SupervisoryAct.Language.choices)
    addressee = forms.ModelChoiceField(
        label=_("Addressee body"), queryset=None, required=False, empty_label=_("— none: name the official below —")
    )
    addressee_title = forms.CharField(
        label=_("Addressee"),
        max_length=ADDRESSEE_TITLE_MAX,
        required=False,
        help_text=_("The head of the body: position and name, as the letter should address them."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=LEGAL_BASIS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The provisions of law the act is based on."),
    )
    summary = forms.CharField(
        label=_("Violations found and what is demanded"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    reports = forms.CharField(
        label=_("Reports"),
        required=False,
        max_length=4000,
        help_text=_("References of the reports the act responds to, separated by spaces or commas."),
    )

    def __init__(self, *args, bodies, reports=None, with_reports=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = bodies
        self.visible_reports = reports
        if not with_reports:
            del self.fields["reports"]

    def clean_reports(self) -> list:
        references = list(dict.fromkeys(re.split(r"[\s,;]+", self.cleaned_data["reports"].strip().upper()) or []))
        references = [reference for reference in references if reference]
        if len(references) > REPORTS_MAX:
            raise ValidationError(_("At most %(limit)d reports.") % {"limit": REPORTS_MAX})
        found = {report.reference: report for report in self.visible_reports.filter(reference__in=references)}
        missing = [reference for reference in references if reference not in found]
        if missing:
            raise ValidationError(
                _("No report within your remit has the reference %(references)s.") % {"references": ", ".join(missing)}
            )
        return [found[reference] for reference in references]


class OutcomeForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(value, label) for value, label in Outcome.choices if value != Outcome.PENDING]
    )
    outcome_at = forms.DateField(label=_("Date of the answer"), widget=DATE_INPUT)
    # The officials the addressee held accountable, by the kind of liability.
    officials_disciplined = forms.IntegerField(
        label=_("Officials held to disciplinary liability"), min_value=0, max_value=OFFICIALS_MAX, initial=0
    )
    officials_administrative = forms.IntegerField(
        label=_("Officials held to administrative liability"),
        min_value=0,
        max_value=OFFICIALS_MAX,
        initial=0,
        required=False,
        help_text=_("Blank: none."),
    )
    officials_criminal = forms.IntegerField(
        label=_("Officials held to criminal liability"),
        min_value=0,
        max_value=OFFICIALS_MAX,
        initial=0,
        required=False,
        help_text=_("Blank: none."),
    )
    outcome_note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "outcome_at": timezone.localdate(),
                "officials_disciplined": 0,
                "officials_administrative": 0,
                "officials_criminal": 0,
            },
        )
        super().__init__(*args, **kwargs)


class ActResultsForm(ServiceErrorsMixin, forms.Form):
    """What the act achieved (services.act_results): its area, business matter, violations and
    beneficiaries by group, or the act of the region that already counted them (by its outgoing
    number or id)."""

    service_error_fields = {"beneficiaries_counted_by": "counted_by"}

    area = forms.ChoiceField(label=_("Area"), choices=[("", _("— not said —")), *Area.choices], required=False)
    business_matter = forms.ChoiceField(label=_("Business matter"), choices=BusinessMatter.choices, required=False)
    violations = forms.IntegerField(label=_("Violations identified"), min_value=0, max_value=VIOLATIONS_MAX)
    citizens = forms.IntegerField(
        label=_("Citizens whose rights were restored"), min_value=0, max_value=BENEFICIARIES_MAX
    )
    equity_holders = forms.IntegerField(label=_("Shared-equity holders"), min_value=0, max_value=BENEFICIARIES_MAX)
    orphans = forms.IntegerField(label=_("Orphans given housing"), min_value=0, max_value=BENEFICIARIES_MAX)
    investors = forms.IntegerField(label=_("Investors protected"), min_value=0, max_value=BENEFICIARIES_MAX)
    entrepreneurs = forms.IntegerField(label=_("Entrepreneurs"), min_value=0, max_value=BENEFICIARIES_MAX)
    counted_by = forms.CharField(
        label=_("Beneficiaries already counted by"),
        max_length=80,
        required=False,
        help_text=_(
            "The outgoing number or the id of the act of the region that counted these people: "
            "this act then counts none itself."
        ),
    )

    def __init__(self, *args, acts, **kwargs):
        super().__init__(*args, **kwargs)
        self.acts = acts

    def clean_counted_by(self) -> SupervisoryAct | None:
        value = self.cleaned_data["counted_by"].strip()
        if not value:
            return None
        found = self.acts.filter(outgoing_number=value).first()
        if found is None and value.isdigit():
            found = self.acts.filter(pk=int(value)).first()
        if found is None:
            raise ValidationError(_("No act of the region has the outgoing number or id %(value)s.") % {"value": value})
        return found

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "area": data["area"],
            "business_matter": data["business_matter"] or "",
            "violations": data["violations"],
            "beneficiaries": {field: data[field] for field in BENEFICIARY_FIELDS},
            "counted_by": data["counted_by"],
        }


class ActAmountForm(ServiceErrorsMixin, forms.Form):
    """One dated amount of the act (services.act_amount): the service checks it against the act's totals."""

    heading = forms.ChoiceField(label=_("What the amount is"), choices=ActAmount.Heading.choices)
    amount = forms.DecimalField(label=_("Amount, tenge"), max_value=AMOUNT_MAX, max_digits=18, decimal_places=2)
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    preliminary = forms.BooleanField(
        label=_("Preliminary"), required=False, help_text=_("The amount may still change (an assessment not final).")
    )
    recovery = forms.ChoiceField(
        label=_("Recovered how"),
        choices=ActAmount.Recovery.choices,
        required=False,
        help_text=_("Only for an amount recovered."),
    )


class CrimeImportForm(ServiceErrorsMixin, forms.Form):
    """A file of registered offences and the period it covers (its rows replace the period's)."""

    period_start = forms.DateField(label=_("Period from"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_INPUT)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,text/csv"}),
        help_text=_(
            "One row a registered offence, a header on top naming its columns as the template does. "
            "Its rows replace the period's earlier ones."
        ),
    )


class CrimeTableForm(ServiceErrorsMixin, forms.Form):
    """A month's aggregated table and the mapping that reads it (a shipped one, or the office's own)."""

    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("The table's figures run from 1 January to this month's end."),
    )
    mapping = forms.ChoiceField(label=_("Column mapping"), required=False)
    mapping_file = forms.FileField(
        label=_("Or a mapping file of your own (JSON)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    file = forms.FileField(
        label=_("Table (CSV or XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"})
    )

    def __init__(self, *args, mappings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = [("", _("— a file of my own —"))] + [
            (name, mapping.name) for name, mapping in mappings.items()
        ]

    def clean(self):
        data = super().clean()
        if not data.get("mapping") and not data.get("mapping_file"):
            raise ValidationError(_("Choose a mapping, or send one."))
        return data
