"""The board's forms: they check the input's shape and offer the region's choices; the services
decide (board.services raise Refused with the reasons, put back on the form)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.roles import PROSECUTOR_ROLES
from lib.forms import ServiceErrorsMixin
from lib.metrics import Area

from .models import Meeting, Project, WorkingGroup
from .policy import BOARD_KEEPERS, may_control
from .services.directives import TEXT_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label, rows=3, required=False, max_length=None):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class MeetingForm(ServiceErrorsMixin, forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    working_group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        help_text=_("Only for a working-group meeting: the group that meets."),
    )
    period_start = forms.DateField(label=_("Period reviewed from"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period reviewed to"), widget=DATE_INPUT)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    chair = forms.CharField(label=_("Chair"), max_length=200)
    participants = _text(_("Participants"))
    agenda = _text(_("Agenda"), rows=6)

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(region_id=region_id)

    def clean(self):
        data = super().clean()
        if data.get("kind") != Meeting.Kind.WORKING_GROUP:
            data["working_group"] = None
        return data


class MeetingReportForm(ServiceErrorsMixin, forms.Form):
    speaker = forms.CharField(label=_("Speaker"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    office = forms.ModelChoiceField(label=_("Office"), queryset=Organisation.objects.none(), required=False)
    topic = forms.CharField(label=_("Topic"), max_length=500)
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF, Word or Excel document or a photo."),
    )

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Organisation.objects.filter(
            region_id=region_id, kind=Organisation.Kind.PROSECUTOR_OFFICE
        ).order_by("code")


def addressee_choices(region_id: int) -> list[tuple[str, list[tuple[int, str]]]]:
    """The region's prosecutor's offices and bodies, grouped by their kind."""
    organisations = Organisation.objects.filter(region_id=region_id).exclude(kind=Organisation.Kind.PARTNER)
    groups: dict[str, list] = {}
    for organisation in sorted(organisations, key=lambda org: (org.kind != "prosecutor_office", org.type, org.code)):
        groups.setdefault(organisation.get_kind_display(), []).append((organisation.pk, organisation.name))
    return [(str(kind).capitalize(), members) for kind, members in groups.items()]


def controllers(region_id: int) -> list[User]:
    """The region's users who may control a directive (board.policy.may_control)."""
    candidates = User.objects.filter(
        is_active=True, organisation__region_id=region_id, role__in=PROSECUTOR_ROLES | BOARD_KEEPERS
    ).order_by("last_name", "first_name", "username")
    return [user for user in candidates if may_control(user)]


def codes(text: str) -> list[str]:
    """A free list of metric codes: separated by commas, semicolons, spaces or lines."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


class DirectiveForm(ServiceErrorsMixin, forms.Form):
    text_kk = _text(_("Text in Kazakh"), rows=4, max_length=TEXT_MAX)
    text_ru = _text(_("Text in Russian"), rows=4, max_length=TEXT_MAX)
    text_en = _text(_("Text in English"), rows=4, max_length=TEXT_MAX)
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_INPUT)
    addressees = forms.TypedMultipleChoiceField(
        label=_("Addressees"),
        coerce=int,
        required=False,  # the service refuses a directive to nobody, with its message
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The offices and bodies that must execute it; each executes and reports on its own."),
    )
    controller = forms.TypedChoiceField(label=_("Controlled by"), coerce=int)
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    metric_codes = forms.CharField(
        label=_("Metrics it aims to move"),
        required=False,
        help_text=_("Codes of the metric catalogue, separated by commas (optional)."),
    )
    service_error_fields = {"deadline": "deadline"}

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressees"].choices = addressee_choices(region_id)
        self.controllers = {user.pk: user for user in controllers(region_id)}
        self.fields["controller"].choices = [("", "—")] + [
            (pk, user.get_full_name() or user.username) for pk, user in self.controllers.items()
        ]
        self.fields["project"].queryset = Project.objects.filter(region_id=region_id)
        self.region_id = region_id

    def clean_metric_codes(self):
        return codes(self.cleaned_data.get("metric_codes", ""))

    def service_arguments(self) -> dict:
        """The cleaned input as directive_issue takes it."""
        data = dict(self.cleaned_data)
        chosen = set(data.pop("addressees") or [])
        data["addressees"] = list(Organisation.objects.filter(pk__in=chosen, region_id=self.region_id))
        data["controller"] = self.controllers.get(data["controller"])
        return data


class ExecutionReportForm(forms.Form):
    """The addressee's report; its evidence files are read from the request (several at once)."""

    text = _text(_("What was done"), rows=4, required=True, max_length=TEXT_MAX)
    final = forms.BooleanField(label=_("Reported as executed"), required=False)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
