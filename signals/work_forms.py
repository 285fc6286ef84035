"""Forms of the body's work on a report and of the prosecutor's decisions (signals.views.work).

They only read the request: every rule (who, which status, which body, how many days) is the
services' to decide, and a refusal comes back onto the form (`add_service_errors`). Field names
are the services' argument names, so a service's error lands on the field it is about; each form
prefixes its HTML ids, as several of them share one page.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from lib.forms import ServiceErrorsMixin
from signals.forms import PhotosField
from signals.models import Answer, AnswerTemplate, Report
from signals.services import EXTENSION_MAX_DAYS, REGISTRATION_NUMBER_MAX

# Service error keys that name a field under another name.
ERROR_FIELDS = {"duplicate_of": "into"}


class WorkForm(ServiceErrorsMixin, forms.Form):
    id_prefix = "work"
    service_error_fields = ERROR_FIELDS

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)

    def fields_with_errors(self) -> list:
        """The bound fields with errors (errors about the whole action are shown as messages)."""
        return [field for field in self if field.errors]


def _text(max_length: int, *, required=True, rows=3, label=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AssignForm(WorkForm):
    id_prefix = "assign"
    assignee = forms.ModelChoiceField(
        label=_("Officer"), queryset=None, required=False, empty_label=_("nobody in particular")
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.username


class ForwardForm(WorkForm):
    """Any body may be named: the service refuses the same body or one of another region, saying why."""

    id_prefix = "forward"
    to_body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.BODY),
        error_messages={"required": _("Choose the body."), "invalid_choice": _("Choose the body.")},
    )
    reason = _text(2000, label=_("Why it belongs to that body"))


class ExtensionForm(WorkForm):
    id_prefix = "extension"
    days = forms.IntegerField(
        label=_("Extra working days"),
        widget=forms.NumberInput(attrs={"min": 1, "max": EXTENSION_MAX_DAYS}),
        error_messages={"required": _("Say how many working days."), "invalid": _("Give a whole number of days.")},
    )
    reason = _text(2000, label=_("Why more time is needed"))


class RegistrationForm(WorkForm):
    id_prefix = "register"
    registration = forms.ChoiceField(label=_("Register"), choices=Report.Registration.choices)
    registration_number = forms.CharField(label=_("Number"), max_length=REGISTRATION_NUMBER_MAX)


class AnswerForm(WorkForm):
    id_prefix = "answer"
    result = forms.ChoiceField(
        label=_("Result"),
        choices=Answer.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the result.")},
    )
    measures = forms.MultipleChoiceField(
        label=_("Measures taken"), choices=Answer.Measure.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    text = _text(4000, rows=6, label=_("What was done"))
    public_text = _text(2000, required=False, label=_("Answer to the reporter"))
    photos = PhotosField(label=_("Photos"))

    @classmethod
    def initial_from(cls, template: AnswerTemplate | None) -> dict:
        """The form filled from a template: its text for the prosecutor and, to start from, for the
        reporter too (a template names no one, so it may be shown on the tracking page)."""
        if template is None:
            return {}
        return {
            "result": template.result,
            "measures": list(template.measures or []),
            "text": template.text,
            "public_text": template.text,
        }


class ReasonForm(WorkForm):
    id_prefix = "return"
    reason = _text(2000, label=_("What the body must do again"))


class MergeForm(WorkForm):
    id_prefix = "merge"
    into = forms.CharField(label=_("Reference of the report it repeats"), max_length=30)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)

    def clean_into(self):
        return self.cleaned_data["into"].strip().upper()


class DecisionForm(WorkForm):
    """Uphold or reverse a forward; grant or refuse an extension."""

    id_prefix = "decide"
    decision = forms.ChoiceField(choices=())
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
