"""Which body must act on a report: `find_body(region=, category=, district=)`.

1. The routing rules of the region (RoutingRule, loaded from accounts/reference/<region>/
   routing_rules.csv and editable in the admin); the most specific rule wins:
   (category, district) → (category, any district) → (any category, district) → (any, any).
2. When no rule matches: the active organisation of the category's body type (or of its local
   variant, e.g. a district police unit for "police") that serves the district (or the city a
   city district is part of); when several serve it, the most local one (serving the fewest units).
3. Nothing: None. The report then waits in the district prosecutor's triage (status NEW, no
   body): never lost.
"""

from django.db.models import Count, Q

from accounts.models import District, Organisation, Region

from .models import Category, RoutingRule

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


def matching_rule(*, region: Region, category: Category, district: District | None) -> RoutingRule | None:
    district_q = Q(district__isnull=True)
    if district is not None:
        district_q |= Q(district=district)
    rules = (
        RoutingRule.objects.filter(region=region, body__is_active=True)
        .filter(Q(category=category) | Q(category__isnull=True))
        .filter(district_q)
        .select_related("body")
    )
    return min(rules, key=_specificity, default=None)


def default_body(*, category: Category, district: District | None) -> Organisation | None:
    types = body_types_for(category.body_type)
    if district is None or not types:
        return None
    # Annotate before filtering on the districts, so the count spans every unit served.
    candidates = (
        Organisation.objects.filter(type__in=types, is_active=True)
        .annotate(served=Count("districts", distinct=True))
        .filter(districts__in=[unit for unit in (district.pk, district.parent_id) if unit])
        .distinct()
    )
    ranked = sorted(candidates, key=lambda body: (body.served, body.type != category.body_type, body.code))
    return ranked[0] if ranked else None


def find_body(*, region: Region, category: Category, district: District | None) -> Organisation | None:
    rule = matching_rule(region=region, category=category, district=district)
    if rule is not None:
        return rule.body
    return default_body(category=category, district=district)
