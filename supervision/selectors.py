"""Reads for the results summary: acts of prosecutorial response and their outcomes.

A period is `start`..`end`, both dates included, taken on the act's own date. `district_ids`
narrows to some districts (a district prosecutor's view): the acts of their local offices and the
acts linked to their reports (SupervisoryActQuerySet.of_districts). Every figure is one database
aggregation and comes back as plain dicts and lists.
"""

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import Organisation, Region

from .models import SupervisoryAct

Outcome = SupervisoryAct.Outcome


def acts_in_period(*, region: Region, start: date, end: date, district_ids=None) -> QuerySet:
    """Acts of the region dated within the period."""
    acts = SupervisoryAct.objects.filter(region=region, date__gte=start, date__lte=end)
    if district_ids is not None:
        acts = acts.filter(id__in=SupervisoryAct.objects.of_districts(district_ids).values("id"))
    return acts


def _outcome_counts() -> dict:
    return {
        "total": Count("id"),
        "officials_disciplined": Sum("officials_disciplined", default=0),
        **{outcome: Count("id", filter=Q(outcome=outcome)) for outcome in Outcome.values},
    }


def acts_summary(*, region: Region, start: date, end: date, district_ids=None) -> dict:
    """{"total", "officials_disciplined", "by_type": {type: n}, "by_outcome": {outcome: n},
    "by_office": [{"office_id", "code", "name", "total", "officials_disciplined", <outcome>: n}]}.

    Every type and outcome is present (zero when none); offices are listed largest first."""
    acts = acts_in_period(region=region, start=start, end=end, district_ids=district_ids).order_by()
    totals = acts.aggregate(**_outcome_counts())
    by_type = dict.fromkeys(SupervisoryAct.Type.values, 0)
    by_type.update({row["type"]: row["n"] for row in acts.values("type").annotate(n=Count("id"))})
    rows = list(acts.values("issuing_office").annotate(**_outcome_counts()).order_by("-total", "issuing_office"))
    offices = Organisation.objects.in_bulk([row["issuing_office"] for row in rows])
    return {
        "total": totals["total"],
        "officials_disciplined": totals["officials_disciplined"],
        "by_type": by_type,
        "by_outcome": {outcome: totals[outcome] for outcome in Outcome.values},
        "by_office": [_named(row, row.pop("issuing_office"), offices, "office_id") for row in rows],
    }


def acts_by_body(*, region: Region, start: date, end: date, district_ids=None) -> list[dict]:
    """[{"body_id", "code", "name", "total", "officials_disciplined", <outcome>: n}] by addressee
    body, largest first; acts addressed to no body (only to a named official) have body_id None."""
    acts = acts_in_period(region=region, start=start, end=end, district_ids=district_ids).order_by()
    rows = list(acts.values("addressee").annotate(**_outcome_counts()).order_by("-total", "addressee"))
    bodies = Organisation.objects.in_bulk([row["addressee"] for row in rows if row["addressee"] is not None])
    return [_named(row, row.pop("addressee"), bodies, "body_id") for row in rows]


def _named(row: dict, organisation_id, organisations: dict, key: str) -> dict:
    organisation = organisations.get(organisation_id)
    return {
        key: organisation_id,
        "code": organisation.code if organisation else "",
        "name": organisation.name if organisation else "",
        **row,
    }
