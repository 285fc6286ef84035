"""Forms of investment projects and social facilities: they check the input's shape; the services
(supervision.services.projects, .facilities) decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import ServiceErrorsMixin
from lib.photos import ACCEPT_PHOTOS

from .models import InvestmentProject, SocialFacility
from .services.kept import NAME_MAX, NOTE_MAX
from .services.projects import PROBLEMS_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = {"min_value": 0, "max_digits": 18, "decimal_places": 2}


class ProjectForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Project"), max_length=NAME_MAX)
    investor = forms.CharField(label=_("Investor"), max_length=NAME_MAX, help_text=_("The investing company."))
    district = forms.ModelChoiceField(label=_("District"), queryset=None)
    level = forms.ChoiceField(label=_("Level"), choices=InvestmentProject.Level.choices)
    amount = forms.DecimalField(label=_("Investment, tenge"), **AMOUNT)
    on = forms.DateField(label=_("Taken under supervision on"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class ProjectStatusForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=InvestmentProject.Status.choices)
    on = forms.DateField(label=_("Date of the change"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The project's status now is no change: the other two are offered.
        self.fields["status"].choices = [
            (value, label) for value, label in InvestmentProject.Status.choices if value != current
        ]


class ProjectProblemsForm(ServiceErrorsMixin, forms.Form):
    count = forms.IntegerField(label=_("Problems solved"), min_value=1, max_value=PROBLEMS_MAX)
    on = forms.DateField(label=_("Solved on"), widget=DATE_INPUT)
    note = forms.CharField(label=_("What was solved"), max_length=NOTE_MAX, required=False)


class FacilityForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Facility"), max_length=NAME_MAX)
    type = forms.ChoiceField(label=_("Type"), choices=SocialFacility.Type.choices)
    district = forms.ModelChoiceField(label=_("District"), queryset=None)
    amount = forms.DecimalField(label=_("Amount, tenge"), **AMOUNT)
    source_act = forms.CharField(
        label=_("Source act: outgoing number"),
        max_length=80,
        required=False,
        help_text=_("The act of response whose returned assets pay for the facility (or name the case below)."),
    )
    source_case = forms.CharField(label=_("Source case: ERDR number"), max_length=15, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False)
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE_INPUT, required=False)
    planned_completion = forms.DateField(label=_("Planned completion"), widget=DATE_INPUT, required=False)
    on = forms.DateField(label=_("Recorded on"), widget=DATE_INPUT)

    def __init__(self, *args, districts, acts, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.acts, self.cases = acts, cases

    def clean_source_act(self):
        number = self.cleaned_data["source_act"].strip()
        if not number:
            return None
        act = self.acts.filter(outgoing_number=number).order_by("id").first()
        if act is None:
            raise forms.ValidationError(_("No act with this outgoing number within your remit."))
        return act

    def clean_source_case(self):
        number = self.cleaned_data["source_case"].strip()
        if not number:
            return None
        case = self.cases.filter(erdr_number=number).first()
        if case is None:
            raise forms.ValidationError(_("No case with this ERDR number within your remit."))
        return case


class FacilityProgressForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SocialFacility.Status.choices)
    percent_done = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    on = forms.DateField(label=_("Date of the change"), widget=DATE_INPUT)
    completed_on = forms.DateField(
        label=_("Date of completion"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Required when the facility is completed."),
    )


class FacilityPhotoForm(ServiceErrorsMixin, forms.Form):
    image = forms.FileField(label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_PHOTOS}))
    taken_on = forms.DateField(label=_("Taken on"), widget=DATE_INPUT, required=False)
