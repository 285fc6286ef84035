"""The form of a highlight for publication: it checks the input's shape; the services decide (the
placeholders' rule, personal data, who may)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import ServiceErrorsMixin
from lib.metrics import Area

from .models import Highlight

TEXT_MAX = Highlight._meta.get_field("text_ru").max_length
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PLACEHOLDER_HELP = _("Numbers only as the record's placeholders listed beside, such as {damage}: never typed.")


def _text(label):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=PLACEHOLDER_HELP,
    )


class HighlightForm(ServiceErrorsMixin, forms.Form):
    area = forms.ChoiceField(
        label=_("Area of the summary"),
        choices=Area.choices,
        help_text=_("The section of the results summary that quotes the highlight."),
    )
    on = forms.DateField(
        label=_("Date"), widget=DATE_INPUT, help_text=_("The summary of a period quotes its period's highlights.")
    )
    text_kk = _text(_("Text in Kazakh"))
    text_ru = _text(_("Text in Russian"))
    text_en = _text(_("Text in English"))
