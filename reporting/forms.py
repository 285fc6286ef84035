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


# --- the dashboards' period picker ---------------------------------------------------------------

# The board's usual periods, each the latest one to date (reporting.dashboards reads them), and a
# period of one's own. The choice is kept in the query string (?period=quarter, or ?period=custom
# &from=&to=), so that a link and the browser's back bring the same figures.
PERIOD_KINDS = (
    ("month", _("This month")),
    ("quarter", _("This quarter")),
    ("half", _("This half-year")),
    ("nine_months", _("9 months")),
    ("year", _("This year")),
    ("custom", _("Dates of my own")),
)
DEFAULT_PERIOD_KIND = "year"


def period_of(kind: str, today: date) -> tuple[date, date]:
    """The usual period of `kind` as it stands on `today`: this month, quarter, half-year or year
    from its first day to today; 9 months from 1 January to 30 September, this year's once they
    are over, else last year's."""
    if kind == "month":
        return today.replace(day=1), today
    if kind == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if kind == "half":
        return date(today.year, 1 if today.month <= 6 else 7, 1), today
    if kind == "nine_months":
        year = today.year if today >= date(today.year, 10, 1) else today.year - 1
        return date(year, 1, 1), date(year, 9, 30)
    return date(today.year, 1, 1), today


class PeriodForm(forms.Form):
    """The dashboards' one period picker: a usual period, or dates of one's own. Read from the query
    string; `chosen()` is the period chosen, or this year to date while the choice is wrong."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, query, *, today: date):
        data = {"period": query.get("period") or DEFAULT_PERIOD_KIND, "from": query.get("from"), "to": query.get("to")}
        super().__init__(data)
        self.today = today

    def add_prefix(self, field_name):
        """The query string names the dates `from` and `to`, as the figures' links do."""
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            self.add_error("end" if start else "start", _("Give both dates of the period."))
        elif end < start:
            self.add_error("end", _("The period ends before it starts."))
        return data

    @property
    def kind(self) -> str:
        return (self.cleaned_data.get("period") or DEFAULT_PERIOD_KIND) if self.is_valid() else DEFAULT_PERIOD_KIND

    def chosen(self) -> tuple[date, date]:
        if not self.is_valid():
            return period_of(DEFAULT_PERIOD_KIND, self.today)
        if self.kind == "custom":
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return period_of(self.kind, self.today)

    def query(self) -> dict:
        """The choice as the query string keeps it (for the figures' links and the period's links)."""
        start, end = self.chosen()
        if self.kind == "custom":
            return {"period": "custom", "from": start.isoformat(), "to": end.isoformat()}
        return {"period": self.kind}
