"""Which body must act on a report: `find_body(region=, category=, district=)`.

1. The routing rules of the region (RoutingRule, loaded from accounts/reference/<region>/
   routing_rules.csv and editable in the admin); the most specific rule wins:
   (category, district) → (category, any district) → (any category, district) → (any, any).
2. When no rule matches: the active organisation of the category's body type (or of its local
   variant, e.g. a district police unit for "police") that serves the district (or the city a
   city district is part of); when several serve it, the most local one (serving the fewest units).
3. Nothing: None. The report then waits in the district prosecutor's triage (status NEW, no
   body): never lost.

Both are read on every submission, so the region's rules and the active organisations with
the units they serve are kept per process for CACHE_SECONDS (lib.cache; saving a rule or an
organisation, or changing the units it serves, in this process clears them at once).
"""

from collections import Counter

from accounts.models import District, Organisation, Region
from lib.cache import process_cached

from .models import Category, RoutingRule

CACHE_SECONDS = 60

Type = Organisation.Type

# A body type and the types that do the same work at another level (region / city / district).
BODY_TYPE_FAMILIES = (
    {Type.POLICE, Type.POLICE_UNIT},
    {Type.STATE_REVENUE, Type.TAX},
    {Type.DISTRICT_OFFICE, Type.CITY_OFFICE, Type.CITY_DISTRICT_OFFICE},
)


def body_types_for(body_type: str) -> set[str]:
    if not body_type:
        return set()
    for family in BODY_TYPE_FAMILIES:
        if body_type in family:
            return {str(member) for member in family}
    return {body_type}


def _specificity(rule: RoutingRule) -> int:
    return (0 if rule.category_id else 2) + (0 if rule.district_id else 1)


@process_cached(seconds=CACHE_SECONDS, models=[RoutingRule, Organisation])
def region_rules(region_id: int) -> list[RoutingRule]:
    """The region's rules whose body is active, with the body (shared: never modify)."""
    return list(RoutingRule.objects.filter(region_id=region_id, body__is_active=True).select_related("body"))


def matching_rule(*, region: Region, category: Category, district: District | None) -> RoutingRule | None:
    district_id = district.pk if district is not None else None
    rules = [
        rule
        for rule in region_rules(region.pk)
        if rule.category_id in (category.pk, None) and rule.district_id in (district_id, None)
    ]
    return min(rules, key=_specificity, default=None)


def default_body(*, category: Category, district: District | None) -> Organisation | None:
    types = body_types_for(category.body_type)
    if district is None or not types:
        return None
    bodies = _active_organisations_by_unit()
    candidates = {
        organisation.pk: (served, organisation)
        for unit in (district.pk, district.parent_id)
        if unit
        for served, organisation in bodies.get(unit, ())
        if organisation.type in types
    }
    ranked = sorted(candidates.values(), key=lambda c: (c[0], c[1].type != category.body_type, c[1].code))
    return ranked[0][1] if ranked else None


@process_cached(seconds=CACHE_SECONDS, models=[Organisation, Organisation.districts.through])
def _active_organisations_by_unit() -> dict[int, list[tuple[int, Organisation]]]:
    """district id -> [(how many units the organisation serves, organisation)] of the active
    organisations serving it (shared: never modify)."""
    organisations = {o.pk: o for o in Organisation.objects.filter(is_active=True)}
    links = list(
        Organisation.districts.through.objects.filter(organisation_id__in=list(organisations)).values_list(
            "organisation_id", "district_id"
        )
    )
    served = Counter(organisation_id for organisation_id, _ in links)
    by_unit: dict[int, list] = {}
    for organisation_id, district_id in links:
        by_unit.setdefault(district_id, []).append((served[organisation_id], organisations[organisation_id]))
    return by_unit


def find_body(*, region: Region, category: Category, district: District | None) -> Organisation | None:
    rule = matching_rule(region=region, category=category, district=district)
    if rule is not None:
        return rule.body
    return default_body(category=category, district=district)
