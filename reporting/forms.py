"""The forms of the summaries' pages: their shape only; reporting.services checks the rest."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from accounts.scoping import visible_districts
from accounts.zones import local_today
from lib.forms import ServiceErrorsMixin


def _default_period() -> tuple[date, date]:
    """The year so far (the board's usual period), as a new summary's default."""
    today = local_today()
    return date(today.year, 1, 1), today


# The board's usual periods: from 1 January to the end of a quarter.
PERIODS = (
    (3, _("First quarter of %(year)s")),
    (6, _("First half of %(year)s")),
    (9, _("9 months of %(year)s")),
    (12, _("The year %(year)s")),
)


def usual_periods() -> list[tuple[str, date, date]]:
    """The board's usual periods already over, the latest first (this year's and last year's)."""
    today = local_today()
    found = []
    for year in (today.year, today.year - 1):
        for months, label in reversed(PERIODS):
            end = date(year, 12, 31) if months == 12 else date(year, months + 1, 1) - timedelta(days=1)
            if end < today:
                found.append((str(label) % {"year": year}, date(year, 1, 1), end))
    return found


class SummaryForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    base_start = forms.DateField(
        label=_("Comparison base from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave both ends of the base empty to compare with the same dates one year earlier."),
    )
    base_end = forms.DateField(
        label=_("Comparison base to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.none(),
        to_field_name="kato",
        required=False,
        help_text=_("None chosen: the whole region. A city brings its city districts."),
    )

    def __init__(self, *args, user, period: tuple[date, date] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = visible_districts(user, District.objects.all()).order_by("kato")
        start, end = period or _default_period()
        self.fields["start"].initial, self.fields["end"].initial = start, end

    def clean(self):
        data = super().clean()
        if (data.get("base_start") is None) != (data.get("base_end") is None):
            self.add_error("base_end", _("Give both ends of the comparison base, or neither."))
        return data


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
        strip=False,
    )
