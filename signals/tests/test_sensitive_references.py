"""No existence oracle: to anybody not logged in, a sensitive report's reference answers every
page exactly as a reference nobody was given (the same status, media type, redirect and body, but
for the reference itself where it is echoed), for GET and POST; and a sensitive report changes
nothing on the public map and lists.

The pages come from the URL confs: every pattern that takes a reference or a token is walked,
and one this test does not know fails it, so a new page is walked too.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import District
from signals.tests.test_intake_web import ALGA, make_report

pytestmark = pytest.mark.django_db

UNKNOWN = "AKT-2025-999999"
# The URL keywords that name a report: its reference, or a token standing for one.
REPORT_KWARGS = {"reference", "service_request_id", "token"}
# The other keywords of those patterns, filled in alike for both references.
OTHER_KWARGS = {"photo_id": 1}
FORMATS = {"open311": [{"format": "json"}, {"format": "xml"}]}
# Every pattern taking a reference or a token (namespace:name), and why it is walked.
PAGES = {
    "signals:track": "the reporter's tracking page (a token)",
    "signals:me_too": '"me too" on a public report',
    "signals:followup_add": "the reporter's follow-up (a token)",
    "signals:followup_not_resolved": "the reporter's follow-up (a token)",
    "signals:followup_rate": "the reporter's follow-up (a token)",
    "signals:detail": "the staff's report page: a login first",
    "signals:recategorise": "staff",
    "signals:reroute": "staff",
    "signals:transition": "staff",
    "signals:photo": "staff",
    "signals:assign": "staff",
    "signals:forward": "staff",
    "signals:extension": "staff",
    "signals:register": "staff",
    "signals:answer": "staff",
    "signals:accept": "staff",
    "signals:return": "staff",
    "signals:merge": "staff",
    "api:report": "the REST API: a key or a session first",
    "open311:request": "a public service request",
    "open311:token": "the request a tracking token follows",
}


def patterns_naming_a_report(resolver=None, namespace: str = ""):
    """(namespace:name, keywords) of every URL pattern with a reference or token keyword."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns_naming_a_report(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            keywords = set(entry.pattern.regex.groupindex)
            if keywords & REPORT_KWARGS:
                yield f"{namespace}{entry.name}", keywords


def urls_for(name: str, keywords: set, reference: str) -> list[str]:
    """The page's URLs with `reference` in each keyword that names a report (each format's URL)."""
    values = {key: reference if key in REPORT_KWARGS else OTHER_KWARGS[key] for key in keywords if key != "format"}
    variants = FORMATS.get(name.split(":")[0], [{}]) if "format" in keywords else [{}]
    return [reverse(name, kwargs={**values, **variant}) for variant in variants]


# What differs from one answer to the next whatever the page: the CSRF token of a form.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def answer(client: Client, method: str, url: str, reference: str = "") -> tuple:
    """What the page says, with the reference itself taken out wherever it is echoed."""
    response = getattr(client, method)(url)

    def without_reference(text: str) -> str:
        text = PER_RESPONSE.sub(r'\1"', text)
        return text.replace(reference, "<reference>") if reference else text

    return (
        response.status_code,
        response.get("Content-Type"),
        without_reference(response.get("Location", "")),
        without_reference(response.content.decode()),
    )


@pytest.fixture
def sensitive():
    district = District.objects.get(kato=ALGA)
    report, _token = make_report(
        code="domestic-violence",
        description="My neighbour beats his wife",
        latitude=Decimal(district.centre_lat),
        longitude=Decimal(district.centre_lon),
    )
    assert report.sensitive
    return report


def test_it_walks_every_page_that_takes_a_reference_or_a_token():
    assert {name for name, _keywords in patterns_naming_a_report()} == set(PAGES)


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_a_sensitive_reference_as_an_unknown_one_on_every_page(sensitive, method):
    compared = 0
    for name, keywords in patterns_naming_a_report():
        for hidden, unknown in zip(
            urls_for(name, keywords, sensitive.reference), urls_for(name, keywords, UNKNOWN), strict=True
        ):
            seen = answer(Client(), method, hidden, sensitive.reference)
            assert seen == answer(Client(), method, unknown, UNKNOWN), f"{method.upper()} {hidden} ({PAGES[name]})"
            compared += 1
    assert compared >= len(PAGES)


@pytest.mark.parametrize(
    "url",
    [
        "/open311/v2/requests.json?service_request_id={reference}",
        "/open311/v2/requests.xml?service_request_id={reference}",
        "/api/v1/reports/?cursor={reference}",
    ],
)
def test_it_answers_a_sensitive_reference_as_an_unknown_one_in_the_lists(sensitive, url):
    assert answer(Client(), "get", url.format(reference=sensitive.reference), sensitive.reference) == answer(
        Client(), "get", url.format(reference=UNKNOWN), UNKNOWN
    )


PUBLIC_LISTS = [
    "/map/",
    "/map/reports.geojson",
    "/map/reports.geojson?category=domestic-violence",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
    "/report/nearby/?category=domestic-violence&latitude={lat}&longitude={lon}",
    "/report/nearby/?category=fraud&latitude={lat}&longitude={lon}",
]


def public_lists() -> list[tuple]:
    district = District.objects.get(kato=ALGA)
    return [
        answer(Client(), "get", url.format(lat=district.centre_lat, lon=district.centre_lon)) for url in PUBLIC_LISTS
    ]


def test_it_shows_nothing_of_a_sensitive_report_on_the_map_and_in_the_public_lists(db):
    before = public_lists()
    district = District.objects.get(kato=ALGA)
    point = {"latitude": Decimal(district.centre_lat), "longitude": Decimal(district.centre_lon)}
    make_report(code="domestic-violence", description="My neighbour beats his wife", **point)
    assert public_lists() == before
    make_report(code="fraud", **point)  # a public one shows: the lists above did look for reports
    assert public_lists() != before
