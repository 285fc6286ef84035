"""Highlights for publication: what a text may say and how it reads (issue 17, point 6).

**Bound placeholders.** A highlight's numbers are never typed: each record type offers the numbers
a text about it may name, as placeholders (`{damage}`, `{convicted}`, `{officials}`...: BOUND), and
a text is refused when it holds a digit outside a placeholder or a placeholder the record does not
offer (`text_problems`). Rendering (`render`) fills them from the record as it is now, written in
the text's language by lib.numbers (the summary's own writing of numbers: "6 млрд тенге", "76,5
кг", "45 %") or Babel's long date. Each language may use any subset of the record's placeholders.

**Personal data at publication.** `publication_problems` asks supervision.personal_data for what
must not be published: an IIN or a phone number always, a person's name when the record concerns a
minor (`concerns_minor`); on other records a name is only a warning the page shows before approval.

**The summary's quotes.** `summary_quotes(window, language)` is supervision's provider of the
summary's quotes (lib.plugins `summary_quotes`): the approved highlights of the window's region,
districts and period, approved by its "as of" moment, rendered in the summary's language, each with
its area and the link to its page.

This module reads models and writes none: the writes are supervision.services.highlights'.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from accounts.scoping import role_of
from lib.metrics import Area, Unit
from lib.numbers import amount_text

from .models import (
    ASSESSED_HEADINGS,
    ActAmount,
    CriminalCase,
    Highlight,
    InvestmentProject,
    SocialFacility,
    SupervisoryAct,
)
from .personal_data import (
    LANGUAGE_NAMES,
    LANGUAGES,
    PLACEHOLDER,
    Finding,
    Found,
    language_name,
    name_warnings,
    personal_data,
)
from .scoping import ACT_AUTHORS, reads_acts

# The pages read these through this module, with the rest of a highlight's rules.
__all__ = ["LANGUAGE_NAMES", "LANGUAGES", "Finding", "name_warnings", "personal_data"]

# The record a highlight is about, by the name of its field on Highlight.
RECORD_FIELDS = ("case", "act", "project", "facility")
RECORD_MODELS = {"case": CriminalCase, "act": SupervisoryAct, "project": InvestmentProject, "facility": SocialFacility}

# The offices whose prosecutors approve any highlight of their region.
REGIONAL_OFFICE_TYPES = frozenset({Organisation.Type.REGIONAL_OFFICE, Organisation.Type.REGIONAL_DEPARTMENT})
# Kinds of a bound value besides lib.metrics.Unit's.
DATE = "date"
TEXT = "text"


@dataclass(frozen=True)
class Bound:
    """A number a text may name: its placeholder's name, what it is, its unit (lib.metrics.Unit,
    DATE or TEXT), and how it is read from the record."""

    name: str
    label: str  # a lazy translation
    unit: str
    read: Callable


def _field(name: str) -> Callable:
    return lambda record: getattr(record, name)


def _act_sum(*headings) -> Callable:
    """The sum of an act's amounts under `headings` (ActAmount), from its prefetched amounts when the
    caller prefetched them (the summary's quotes), else in one query."""

    def read(act):
        cached = getattr(act, "_prefetched_objects_cache", {}).get("amounts")
        if cached is not None:
            return sum((row.amount for row in cached if row.heading in headings), Decimal(0))
        total = act.amounts.filter(heading__in=headings).aggregate(total=Sum("amount"))["total"]
        return total or Decimal(0)

    return read


def _officials(act) -> int:
    return act.officials_disciplined + act.officials_administrative + act.officials_criminal


Heading = ActAmount.Heading

BOUND: dict[str, tuple[Bound, ...]] = {
    "case": (
        Bound("damage", gettext_lazy("damage"), Unit.TENGE, _field("damage")),
        Bound("recovered", gettext_lazy("recovered"), Unit.TENGE, _field("recovered")),
        Bound("seized_kg", gettext_lazy("drugs seized"), Unit.KG, _field("seized_kg")),
        Bound("charged", gettext_lazy("persons charged"), Unit.PERSONS, _field("charged")),
        Bound("in_custody", gettext_lazy("persons in custody"), Unit.PERSONS, _field("in_custody")),
        Bound("convicted", gettext_lazy("persons convicted"), Unit.PERSONS, _field("convicted")),
        Bound("imprisoned", gettext_lazy("sentenced to imprisonment"), Unit.PERSONS, _field("imprisoned")),
        Bound("article", gettext_lazy("article of the Criminal Code"), TEXT, lambda case: case.article_display),
        Bound("registered_on", gettext_lazy("registered in the ERDR"), DATE, _field("registered_on")),
    ),
    "act": (
        Bound("violations", gettext_lazy("violations identified"), Unit.COUNT, _field("violations")),
        Bound("citizens", gettext_lazy("citizens whose rights were restored"), Unit.PERSONS, _field("citizens")),
        Bound("equity_holders", gettext_lazy("shared-equity holders"), Unit.PERSONS, _field("equity_holders")),
        Bound("orphans", gettext_lazy("orphans given housing"), Unit.PERSONS, _field("orphans")),
        Bound("investors", gettext_lazy("investors protected"), Unit.COUNT, _field("investors")),
        Bound("entrepreneurs", gettext_lazy("entrepreneurs"), Unit.COUNT, _field("entrepreneurs")),
        Bound("officials", gettext_lazy("officials held accountable"), Unit.PERSONS, _officials),
        Bound("assessed", gettext_lazy("damage and fines assessed"), Unit.TENGE, _act_sum(*ASSESSED_HEADINGS)),
        Bound("recovered", gettext_lazy("recovered"), Unit.TENGE, _act_sum(Heading.RECOVERED)),
        Bound(
            "misuse_prevented", gettext_lazy("budget misuse prevented"), Unit.TENGE, _act_sum(Heading.MISUSE_PREVENTED)
        ),
        Bound("reimbursed", gettext_lazy("reimbursed to the budget"), Unit.TENGE, _act_sum(Heading.REIMBURSED)),
        Bound(
            "to_state_budget",
            gettext_lazy("of which to the state budget"),
            Unit.TENGE,
            _act_sum(Heading.TO_STATE_BUDGET),
        ),
        Bound("date", gettext_lazy("date of the act"), DATE, _field("date")),
    ),
    "project": (
        Bound("amount", gettext_lazy("investment"), Unit.TENGE, _field("amount")),
        Bound("problems_solved", gettext_lazy("problems solved"), Unit.COUNT, _field("problems_solved")),
    ),
    "facility": (
        Bound("amount", gettext_lazy("amount"), Unit.TENGE, _field("amount")),
        Bound("percent_done", gettext_lazy("percent done"), Unit.PERCENT, _field("percent_done")),
    ),
}

DIGIT = re.compile(r"\d")  # any script's decimal digits (Unicode), not only 0-9


# --- the record ---------------------------------------------------------------------------------


def record_kind(record) -> str:
    for kind, model in RECORD_MODELS.items():
        if isinstance(record, model):
            return kind
    raise TypeError(f"A highlight is not about a {type(record).__name__}.")


def record_office_id(record) -> int:
    return record.issuing_office_id if isinstance(record, SupervisoryAct) else record.office_id


def default_area(record) -> str:
    """The summary's section a highlight about `record` belongs to, unless its author chooses
    another: an act's own area; a case's by its flags; a project's business; a facility's the
    returned assets."""
    kind = record_kind(record)
    if kind == "act":
        return record.area or Area.PUBLIC_INTERESTS
    if kind == "project":
        return Area.BUSINESS
    if kind == "facility":
        return Area.RETURNED_ASSETS
    if record.by_minor or record.against_minor:
        return Area.CHILDREN
    if record.drugs or record.drug_lab or record.drug_shop:
        return Area.DRUGS
    if record.dropper_article:
        return Area.FRAUD
    if record.corruption:
        return Area.CORRUPTION
    return Area.CRIME


def concerns_minor(record, area: str = "") -> bool:
    """Whether a highlight about `record` (in `area`) concerns a minor, so that no person may be
    named in it: a case committed by or against a minor, an act of the children's area or one that
    gave orphans housing, a facility paid for by such a case or act, any highlight of the children's
    area."""
    if area == Area.CHILDREN:
        return True
    kind = record_kind(record)
    if kind == "case":
        return record.by_minor or record.against_minor
    if kind == "act":
        return record.area == Area.CHILDREN or record.orphans > 0
    if kind == "facility":
        sources = (
            record.source_case if record.source_case_id else None,
            record.source_act if record.source_act_id else None,
        )
        return any(source is not None and concerns_minor(source) for source in sources)
    return False


def bound_of(record) -> tuple[Bound, ...]:
    return BOUND[record_kind(record)]


def names_offered(record) -> str:
    """The record's placeholders as a text lists them: "{damage}, {recovered}..."."""
    return ", ".join(f"{{{bound.name}}}" for bound in bound_of(record))


def value_text(bound: Bound, value, language: str) -> str:
    if bound.unit == DATE:
        return format_date(value, format="long", locale=language) if value else ""
    if bound.unit == TEXT:
        return str(value)
    return amount_text(Decimal(value).normalize() if isinstance(value, Decimal) else value, bound.unit, language)


def bound_values(record, language: str) -> list[tuple[str, str, str]]:
    """Each placeholder of the record with what it is and its value now, in `language`:
    [("{damage}", "damage", "6 млрд тенге"), ...] (the form shows them beside the texts)."""
    return [(f"{{{b.name}}}", str(b.label), value_text(b, b.read(record), language)) for b in bound_of(record)]


# --- the texts ----------------------------------------------------------------------------------


def text_problems(record, texts: dict[str, str]) -> list[str]:
    """What makes the texts (language -> text) unusable for a highlight about `record`, each in a
    sentence in the reader's language naming the language and the placeholders the record offers;
    none: usable. A text is required in each language; a digit outside a placeholder is a typed
    number; a placeholder the record does not offer, or a brace left open, is refused."""
    offered = {bound.name for bound in bound_of(record)}
    problems = []
    for language in LANGUAGES:
        text = texts.get(language) or ""
        named = {"language": language_name(language), "offered": names_offered(record)}
        if not text.strip():
            problems.append(_("The %(language)s text is missing.") % named)
            continue
        unknown = [match.group(0) for match in PLACEHOLDER.finditer(text) if match.group(1) not in offered]
        if unknown:
            problems.append(
                _("The %(language)s text names %(unknown)s, which this record does not offer; it offers %(offered)s.")
                % {**named, "unknown": ", ".join(dict.fromkeys(unknown))}
            )
        outside = PLACEHOLDER.sub(" ", text)
        if "{" in outside or "}" in outside:
            problems.append(
                _(
                    "The %(language)s text has a brace that is not a placeholder: write each as {name}, one of "
                    "%(offered)s."
                )
                % named
            )
        typed = re.findall(r"\d[\d\s.,\u00a0\u202f]*\d|\d", outside)
        if typed:
            problems.append(
                _(
                    "The %(language)s text types a number (%(typed)s): numbers are never typed, they come from the "
                    "record as placeholders: %(offered)s."
                )
                % {**named, "typed": ", ".join(f"“{_shown(number.strip())}”" for number in dict.fromkeys(typed))}
            )
    return problems


def _shown(number: str) -> str:
    """A typed number as a refusal repeats it: one of seven digits or more (a phone, an IIN...)
    with its middle hidden, since refusals are kept in the highlight's events."""
    return f"{number[:4]}…{number[-2:]}" if len(DIGIT.findall(number)) >= 7 else number


def render(text: str, record, language: str) -> str:
    """The text with its placeholders filled from the record as it is now, in `language`. A
    placeholder the record does not offer is left as written (text_problems refuses it before)."""
    by_name = {bound.name: bound for bound in bound_of(record)}
    values: dict[str, str] = {}

    def fill(match):
        bound = by_name.get(match.group(1))
        if bound is None:
            return match.group(0)
        if bound.name not in values:
            values[bound.name] = value_text(bound, bound.read(record), language)
        return values[bound.name]

    return PLACEHOLDER.sub(fill, text)


def highlight_texts(highlight: Highlight) -> dict[str, str]:
    return {language: getattr(highlight, f"text_{language}") for language in LANGUAGES}


def rendered(highlight: Highlight, language: str) -> str:
    return render(getattr(highlight, f"text_{language}"), highlight.record, language)


def publication_problems(highlight: Highlight) -> list[str]:
    """Why `highlight` may not be published, each in a sentence (masked: the refusal is kept):
    personal data first, then what its texts break of the placeholders' rule; none: it may."""
    texts = highlight_texts(highlight)
    record = highlight.record
    minors = concerns_minor(record, highlight.area)
    findings = personal_data(texts, names=minors, region_id=highlight.region_id)
    problems = [finding.message() for finding in findings]
    if any(finding.kind == Found.NAME for finding in findings):
        problems.append(_("The record concerns a minor: the text may name no person."))
    return problems + text_problems(record, texts)


# --- the summary's quotes (lib.plugins summary_quotes) -------------------------------------------


def _in_districts(district_ids) -> Q:
    ids = list(district_ids)
    return (
        Q(case__district_id__in=ids)
        | Q(act__district_id__in=ids)
        | Q(project__district_id__in=ids)
        | Q(facility__district_id__in=ids)
    )


def summary_quotes(window, language: str) -> list[dict]:
    """The highlights the summary of `window` (lib.metrics.Window) quotes, in `language`: approved
    ones (and approved by the window's "as of" moment) dated in its period, of its region and
    districts (an act of the whole region only in a summary of the whole region), each as
    {"area", "text", "link", "on"}, by date. Their numbers are the records' as they are now."""
    highlights = Highlight.objects.approved().filter(
        on__gte=window.first_day, on__lt=window.end_day, approved_at__lte=window.as_of
    )
    if window.region_id is not None:
        highlights = highlights.filter(region_id=window.region_id)
    if window.district_ids is not None:
        highlights = highlights.filter(_in_districts(window.district_ids))
    highlights = highlights.select_related(*RECORD_FIELDS).prefetch_related("act__amounts").order_by("on", "id")
    return [
        {
            "area": highlight.area,
            "text": rendered(highlight, language),
            "link": reverse("supervision:highlight", args=[highlight.pk]),
            "on": highlight.on.isoformat(),
        }
        for highlight in highlights
    ]


# --- who may (the views and the services ask here) ---------------------------------------------


def reads_highlights(user) -> bool:
    """The prosecutors and the region-wide roles read highlights (each those of the records they
    read); body officers, citizens and partners none."""
    return reads_acts(user)


def visible_highlights(user):
    """The highlights about records `user` may read (each record type's `for_user`)."""
    if not reads_highlights(user):
        return Highlight.objects.none()
    if user.is_superuser:
        return Highlight.objects.all()
    readable = Q()
    for field, model in RECORD_MODELS.items():
        readable |= Q(**{f"{field}__in": model.objects.for_user(user).values("id")})
    return Highlight.objects.filter(readable)


def may_write_any(user) -> bool:
    """Whether the user's role writes highlights at all (the prosecutors)."""
    return user is not None and user.is_authenticated and (user.is_superuser or role_of(user) in ACT_AUTHORS)


def may_write(user, record) -> bool:
    """A prosecutor who may read the record writes (and changes) highlights about it."""
    if user is None or not user.is_authenticated:
        return False
    if not (user.is_superuser or role_of(user) in ACT_AUTHORS):
        return False
    return user.is_superuser or type(record).objects.for_user(user).filter(pk=record.pk).exists()


def may_approve(user, record) -> bool:
    """A prosecutor of the record's office, or of the regional office (or one of its departments) of
    the record's region, approves a highlight about it for publication, and withdraws it."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if role_of(user) not in ACT_AUTHORS or not user.organisation_id:
        return False
    if user.organisation_id == record_office_id(record):
        return True
    office = user.organisation
    return office.type in REGIONAL_OFFICE_TYPES and office.region_id == record.region_id
