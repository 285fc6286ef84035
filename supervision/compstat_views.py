"""The CompStat page of the crime statistics: /supervision/crime/compstat/?as_of=&district=.

The registered offences of the last 7 and 28 days, the year to date and the last 365 days against
the same windows a year before, by district and gravity (supervision.compstat computes them). Every
count links to the rows behind it: the results summary's figure page for the window, as of the
same day, in the same districts (which applies its own scoping).

Readers: supervision.scoping.reads_crime. A district prosecutor reads the districts their work
covers (`district` narrows them; another district's KATO code answers 404, as an unknown one does);
the region-wide roles the whole region or any of its districts. Body officers, citizens and
partners get 403.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.lookups import cached_districts
from accounts.models import District, Region
from accounts.scoping import is_region_wide, work_district_ids
from accounts.zones import local_today

from .compstat import LINES, CompStat, crime_compstat
from .scoping import reads_crime

# The four columns of each window.
COLUMNS = (_("Now"), _("A year before"), _("Change"), _("Assessment"))
# A year before it has no statistics, and the results summary the links lead to names no earlier day.
FIRST_DAY = date(1992, 1, 1)


class CompStatForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    district = forms.MultipleChoiceField(
        label=_("Districts"),
        required=False,
        help_text=_("None chosen: every district you may read."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, districts: list[District], today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["district"].choices = [(d.kato, d.name) for d in districts]
        self.fields["as_of"].widget.attrs.update(min=FIRST_DAY.isoformat(), max=today.isoformat())

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day is not None and not FIRST_DAY <= day <= self.today:
            raise forms.ValidationError(
                _("Choose a day from %(first)s to today.") % {"first": FIRST_DAY.isoformat()}, code="out_of_range"
            )
        return day


def _region(user) -> Region:
    if user.organisation_id:
        return user.organisation.region
    regions = list(Region.objects.all()[:2])  # a superuser of no office: the only region there is
    if len(regions) != 1:
        raise Http404
    return regions[0]


def _readable_districts(user, region: Region) -> list[District]:
    """The region's districts the user reads, by KATO code (from the per-process cache)."""
    allowed = None if user.is_superuser else work_district_ids(user)
    return sorted(
        (
            d
            for d in cached_districts()["pk"].values()
            if d.region_id == region.pk and (allowed is None or d.pk in allowed)
        ),
        key=lambda d: d.kato,
    )


def _scope(user, readable: list[District], katos: list[str]) -> frozenset[int] | None:
    """The district ids counted: the KATO codes asked (a city brings its city districts), else every
    district the user reads (None: the whole region, for a region-wide role). A code the user may
    not read, or no district's, answers 404."""
    by_kato = {d.kato: d for d in readable}
    if not katos:
        whole = user.is_superuser or work_district_ids(user) is None
        return None if whole else frozenset(by_kato[kato].pk for kato in by_kato)
    if any(kato not in by_kato for kato in katos):
        raise Http404
    chosen = {by_kato[kato].pk for kato in katos}
    chosen |= {d.pk for d in readable if d.parent_id in chosen}
    return frozenset(chosen)


@dataclass(frozen=True)
class _Shown:
    """A cell as the page shows it: its counts with their links, the change written out, the trend,
    and the labels of its four columns (a phone's stacked rows name each value)."""

    current: int
    base: int
    url: str
    base_url: str
    change: str
    trend: str
    labels: tuple[str, str, str, str]


def _change_text(change) -> str:
    if change is None:
        return pgettext("figure not defined", "n/a")
    return f"{'+' if change > 0 else ''}{number_format(change, 1)} %"


def _rows(table: CompStat) -> list[tuple]:
    """The table as the template shows it: each unit (the total first) with its lines, each cell
    with its links to the rows it counts (the results summary's figure page): the current window
    as of the day, the base window as of the day a year before, in the unit's districts. Written
    out here once (the links, the labels, the numbers): the template only places them, so a page
    of every district stays quick to render."""
    figure_urls = {metric: reverse("reporting:figure", args=[metric]) for _key, metric, _label in LINES}
    columns = [str(label) for label in COLUMNS]
    labels = {window.key: tuple(f"{window.label} · {column}" for column in columns) for window in table.windows}
    queries = {
        window.key: (
            [("from", window.start), ("to", window.end), ("as_of", table.as_of)],
            [("from", window.base_start), ("to", window.base_end), ("as_of", table.base_as_of)],
        )
        for window in table.windows
    }
    rows = []
    for unit in (table.total, *table.districts):
        if unit.district is not None:
            katos = [unit.district.kato]
        elif table.whole_region:
            katos = []  # the summary's default: the whole region
        else:
            katos = [district_unit.district.kato for district_unit in table.districts]
        districts = [("district", kato) for kato in katos]
        lines = []
        for line in unit.lines:
            url = figure_urls[line.metric]
            cells = []
            for cell in line.cells:
                current, base = queries[cell.window.key]
                cells.append(
                    _Shown(
                        cell.current,
                        cell.base,
                        f"{url}?{urlencode([*current, *districts])}",
                        f"{url}?{urlencode([*base, *districts])}",
                        _change_text(cell.change_percent),
                        cell.trend,
                        labels[cell.window.key],
                    )
                )
            lines.append((str(line.label), cells))
        rows.append((unit, lines))
    return rows


@login_required
@require_GET
def compstat(request):
    """GET /supervision/crime/compstat/?as_of=<day>&district=<KATO>...: the CompStat table."""
    user = request.user
    if not reads_crime(user):
        raise PermissionDenied
    region = _region(user)
    readable = _readable_districts(user, region)
    katos = [kato for kato in request.GET.getlist("district") if kato]
    scope = _scope(user, readable, katos)
    today = local_today(region)
    asked = any(name in request.GET for name in ("as_of", "district"))
    form = CompStatForm(request.GET if asked else None, initial={"as_of": today}, districts=readable, today=today)
    context = {"form": form, "region": region, "reads_imports": is_region_wide(request.user)}
    if asked and not form.is_valid():
        return render(request, "supervision/compstat.html", context, status=400)
    as_of = (form.cleaned_data.get("as_of") if asked else None) or today
    table = crime_compstat(region, as_of=as_of, district_ids=scope)
    context.update(table=table, rows=_rows(table), columns=COLUMNS)
    return render(request, "supervision/compstat.html", context)
