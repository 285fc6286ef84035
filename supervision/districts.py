"""The district an act of response concerns (SupervisoryAct.district): the one rule, in one place.

An act is counted in a district's figures (the results summary's breakdown by district) by the
district it concerns:

1. the district of its linked reports, when they all lie in one: one district, or one top-level
   unit (reports of two city districts of a city concern the city);
2. otherwise the issuing office's, when the office serves exactly one top-level unit: a district
   office its district, a city district office its city district, a city office (serving the city
   and its city districts) the city;
3. otherwise none: the act counts in the region's total only (the regional office's acts, and its
   departments').

Reports without a district say nothing and are left out of rule 1. An act's reports are named once,
when it is recorded (act_change cannot change them), and a report's district never changes after
intake, so the district is set once, by the code that writes the act: supervision.services.act_record,
supervision.demo and migration 0003, all through `act_district_id`.
"""

from collections.abc import Iterable, Mapping

from accounts.models import District, Organisation


def _common_unit(district_ids: Iterable[int], parents: Mapping[int, int | None]) -> int | None:
    """The one district all of `district_ids` are, or else the one top-level unit they all lie in;
    None when they are none, or lie in several top-level units."""
    ids = set(district_ids)
    if len(ids) == 1:
        return next(iter(ids))

    def top(district_id: int) -> int:
        seen = set()
        while parents.get(district_id) is not None and district_id not in seen:
            seen.add(district_id)
            district_id = parents[district_id]
        return district_id

    tops = {top(district_id) for district_id in ids}
    return next(iter(tops)) if len(tops) == 1 else None


def act_district_id(
    *,
    report_district_ids: Iterable[int | None],
    office_district_ids: Iterable[int],
    parents: Mapping[int, int | None],
) -> int | None:
    """The district an act concerns (the module's rule), from the districts of its linked reports
    (None for a report without one), the districts its issuing office serves, and the region's
    districts' parents (district id -> the unit it is part of, None for a top-level unit).

    Pure: the service, the demo and the migration each read the ids their own way."""
    known = [district_id for district_id in report_district_ids if district_id is not None]
    if known:
        unit = _common_unit(known, parents)
        if unit is not None:
            return unit
    return _common_unit(office_district_ids, parents)


def region_parents(region_id: int) -> dict[int, int | None]:
    """The region's districts: id -> the id of the unit it is part of (None: a top-level unit)."""
    return dict(District.objects.filter(region_id=region_id).values_list("id", "parent_id"))


def district_id_for_act(*, issuing_office: Organisation, reports: Iterable) -> int | None:
    """The id of the district an act issued by `issuing_office` about `reports` concerns (two
    queries: the office's districts, the region's)."""
    return act_district_id(
        report_district_ids=[report.district_id for report in reports],
        office_district_ids=list(issuing_office.districts.values_list("id", flat=True)),
        parents=region_parents(issuing_office.region_id),
    )
