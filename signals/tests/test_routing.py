"""Routing: the rule table (most specific rule wins), the body-type default, and the triage."""

import io

import pytest
from django.core.management import call_command

from accounts.models import District, Organisation, Region
from signals.models import Category, Report, ReportEvent, RoutingRule
from signals.routing import find_body
from signals.services import report_submit

pytestmark = pytest.mark.django_db

ALGA = "153200000"
TEMIR = "155600000"
CITY = "151010000"
ALMATY_CITY_DISTRICT = "151013100"


def region() -> Region:
    return Region.objects.get(short_code="AKT")


def district(kato: str) -> District:
    return District.objects.get(kato=kato)


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def route(category_code: str, kato: str | None):
    body = find_body(region=region(), category=category(category_code), district=district(kato) if kato else None)
    return body.code if body else None


def rule(category_code, kato, body_code):
    return RoutingRule.objects.create(
        region=region(),
        category=category(category_code) if category_code else None,
        district=district(kato) if kato else None,
        body=org(body_code),
    )


def test_it_sends_a_report_to_the_body_of_its_type_serving_the_district():
    assert route("public-order", ALGA) == "akt-police-alga"
    assert route("public-order", TEMIR) == "akt-police-temir"
    assert route("illegal-construction", ALGA) == "akt-akimat-alga"
    assert route("environment", ALGA) == "akt-ecology-region"
    assert route("child-at-risk", TEMIR) == "akt-juvenile-region"


def test_it_prefers_the_most_local_body_and_covers_city_districts():
    assert route("public-order", CITY) == "akt-police-city"
    assert route("public-order", ALMATY_CITY_DISTRICT) == "akt-police-city"
    # A prosecutor's own categories go to the district (city district) prosecutor's office.
    assert route("business-rights", ALGA) == "akt-prok-alga"
    assert route("corruption", ALMATY_CITY_DISTRICT) == "akt-prok-almaty"
    assert route("corruption", CITY) == "akt-prok-city"


def test_it_applies_the_regions_rules_from_the_reference_files():
    assert route("drug-ad", ALGA) == "akt-police-region"
    assert route("drug-ad", None) == "akt-police-region"
    assert route("dropper", TEMIR) == "akt-police-region"


def test_it_lets_the_most_specific_rule_win():
    rule(None, None, "akt-akimat-region")
    assert route("fraud", ALGA) == "akt-akimat-region"  # (any, any) beats the type default
    rule(None, ALGA, "akt-akimat-alga")
    assert route("fraud", ALGA) == "akt-akimat-alga"  # (any, district)
    assert route("fraud", TEMIR) == "akt-akimat-region"
    rule("fraud", None, "akt-police-region")
    assert route("fraud", ALGA) == "akt-police-region"  # (category, any)
    rule("fraud", ALGA, "akt-police-alga")
    assert route("fraud", ALGA) == "akt-police-alga"  # (category, district)
    assert route("fraud", TEMIR) == "akt-police-region"
    assert route("gambling", ALGA) == "akt-akimat-alga"


def test_it_skips_a_rule_whose_body_is_inactive():
    rule("fraud", ALGA, "akt-akimat-alga")
    Organisation.objects.filter(code="akt-akimat-alga").update(is_active=False)
    assert route("fraud", ALGA) == "akt-police-alga"


def test_it_finds_no_body_for_other_or_without_a_district():
    assert route("other", ALGA) is None
    assert route("public-order", None) is None


def test_it_puts_a_report_no_rule_matches_in_the_district_prosecutors_triage():
    report = report_submit(
        actor=None,
        category="other",
        description="Something odd.",
        channel=Report.Channel.WEB,
        district=district(ALGA),
    ).report
    assert report.status == Report.Status.NEW
    assert report.body is None
    assert report.routed_at is None
    events = list(report.events.values_list("kind", "to_status"))
    assert events == [(ReportEvent.Kind.SUBMITTED, "new"), (ReportEvent.Kind.TRIAGE, "new")]


def test_it_loads_routing_rules_once():
    assert RoutingRule.objects.filter(region=region(), category__code="drug-ad", district=None).exists()
    before = RoutingRule.objects.count()
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert RoutingRule.objects.count() == before
