"""Forms of projects and working groups: they check the input's shape; board.services.projects
decides (the region of partners and members, the dates, the metric codes)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from lib.forms import ServiceErrorsMixin
from lib.metrics import Area

from .models import Project
from .services.projects import CODE_MAX, DESCRIPTION_MAX, NAME_MAX, PEOPLE_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def region_organisations(region_id: int, *, national_partners: bool):
    """The organisations a project or a group of the region may name: the region's, and the
    national partners (banks, the antifraud centre) for a project's partners."""
    rows = Q(region_id=region_id)
    if national_partners:
        rows |= Q(region__isnull=True, kind=Organisation.Kind.PARTNER)
    return Organisation.objects.filter(rows).order_by("kind", "code")


class MetricCodesField(forms.CharField):
    """The metric codes, separated by commas, spaces or lines."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [code for code in text.replace(",", " ").split() if code]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


class NamesMixin(forms.Form):
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=NAME_MAX, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=NAME_MAX, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=NAME_MAX, required=False)


class ProjectForm(ServiceErrorsMixin, NamesMixin):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX,
        help_text=_(
            "The code the outreach log names the project by (such as without_fraud or law_and_order): "
            "the outreach logged under it shows on the project's page."
        ),
    )
    description_kk = forms.CharField(
        label=_("Description (Kazakh)"), max_length=DESCRIPTION_MAX, required=False, widget=TEXTAREA
    )
    description_ru = forms.CharField(
        label=_("Description (Russian)"), max_length=DESCRIPTION_MAX, required=False, widget=TEXTAREA
    )
    description_en = forms.CharField(
        label=_("Description (English)"), max_length=DESCRIPTION_MAX, required=False, widget=TEXTAREA
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", "—"), *Area.choices],
        required=False,
        help_text=_("The results summary's area it works in: the children's-rights projects are counted as such."),
    )
    lead = forms.ModelChoiceField(label=_("Leading office"), queryset=Organisation.objects.none())
    partners = forms.ModelMultipleChoiceField(label=_("Partners"), queryset=Organisation.objects.none(), required=False)
    started_on = forms.DateField(label=_("Start"), widget=DATE_INPUT)
    ended_on = forms.DateField(label=_("End"), widget=DATE_INPUT, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in (Project.Status.PLANNED, Project.Status.ACTIVE)]
    )
    metric_codes = MetricCodesField(
        label=_("Metrics it tracks"),
        required=False,
        help_text=_("The codes of the catalogue's metrics, separated by commas (such as outreach.meetings)."),
    )

    def __init__(self, *args, region_id: int, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = region_organisations(region_id, national_partners=False)
        self.fields["partners"].queryset = region_organisations(region_id, national_partners=True)
        if not creating:
            # A recorded project's status changes on its own form, dated.
            del self.fields["status"]


class ProjectStatusForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Project.Status.choices)
    status_on = forms.DateField(label=_("Since"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, label) for value, label in Project.Status.choices if value != current]


class WorkingGroupForm(ServiceErrorsMixin, NamesMixin):
    lead = forms.ModelChoiceField(label=_("Office it works under"), queryset=Organisation.objects.none())
    members = forms.ModelMultipleChoiceField(label=_("Member offices and bodies"), queryset=Organisation.objects.none())
    people = forms.CharField(
        label=_("Members by name"), max_length=PEOPLE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    projects = forms.ModelMultipleChoiceField(label=_("Projects"), queryset=Project.objects.none(), required=False)
    created_on = forms.DateField(label=_("Created"), widget=DATE_INPUT)
    dissolved_on = forms.DateField(label=_("Dissolved"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = region_organisations(region_id, national_partners=False)
        self.fields["lead"].queryset = organisations
        self.fields["members"].queryset = organisations
        self.fields["projects"].queryset = Project.objects.filter(region_id=region_id)
