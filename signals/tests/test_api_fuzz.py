"""The schemas say what the API does: schemathesis generates requests for every operation of the
REST API's schema (/api/schema/) and of Open311's (/open311/v2/schema/), sends them to a live
server with an API key and anonymously, and finds no server error and no answer the schema does
not document: every status code, media type, body and header is the one the schema gives.

Bounded: EXAMPLES requests per operation (with a key, the POSTs write at most that many reports
into this test's own database, emptied after it), derandomized so a run repeats the last one.
"""

import pytest
import requests
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.api_keys import api_key_create
from accounts.models import District, Organisation, Region
from signals import services
from signals.models import Category, Report

SCHEMAS = ("/api/schema/", "/open311/v2/schema/")
EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
FUZZING = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@pytest.fixture
def known(live_server, transactional_db, settings):
    """The live server with the reference data and one public and one sensitive report, and no
    anonymous limit that would turn most calls into 429s (the limits have tests of their own).
    Returns the values that exist, for the fuzzer to try besides the ones it makes up."""
    call_command("load_reference", verbosity=0)
    settings.API_ANONYMOUS_RATE_PER_MINUTE = 1_000_000
    district = District.objects.order_by("kato").first()
    public, sensitive = (
        services.report_submit(
            actor=None, category=code, description="x", channel="web", district=district, address="a"
        )
        for code in ("fraud", "domestic-violence")
    )
    region = Region.objects.get()
    return {
        "server": live_server,
        "category": simplest_first(Category.objects.filter(is_active=True)),
        "district": list(District.objects.values_list("kato", flat=True)),
        "jurisdiction_id": [region.kato, region.short_code],
        "reference": [public.report.reference, sensitive.report.reference],
        "token": [public.tracking_token],
    }


def simplest_first(categories) -> list[str]:
    """Category codes, those a request without photo or extra fields can be made for first (the
    fuzzer draws the first ones most)."""

    def needs(category) -> tuple:
        return (category.requires_photo, category.attributes.filter(required=True).exists(), category.requires_location)

    return [category.code for category in sorted(categories, key=needs)]


# Where a known value may stand in for the generated one: (location, name) -> kind of value.
KNOWN_VALUES = {
    ("body", "category"): "category",
    ("body", "service_code"): "category",
    ("body", "district"): "district",
    ("body", "jurisdiction_id"): "jurisdiction_id",
    ("query", "category"): "category",
    ("query", "service_code"): "category",
    ("query", "district"): "district",
    ("query", "jurisdiction_id"): "jurisdiction_id",
    ("query", "service_request_id"): "reference",
    ("path_parameters", "service_code"): "category",
    ("path_parameters", "reference"): "reference",
    ("path_parameters", "service_request_id"): "reference",
    ("path_parameters", "token"): "token",
}


def steer(case, data, known: dict, *, key: str) -> None:
    """Made-up codes and references are all 404s and 400s: mostly, a value that exists takes a
    generated one's place, so the requests also get past the lookups into the services and the
    full answers (200, 201) are checked against the schema too."""

    def known_one() -> bool:
        return data.draw(st.sampled_from(["known", "generated"])) == "known"  # the first is tried most

    for (location, name), kind in KNOWN_VALUES.items():
        container = getattr(case, location)
        if isinstance(container, dict) and name in container and known_one():
            container[name] = data.draw(st.sampled_from(known[kind]))
    if key:
        # Open311's key goes in the query (its security scheme), where a made-up one is generated.
        if "api_key" in case.query:
            case.query["api_key"] = key
        if isinstance(case.body, dict):
            case.body.pop("api_key", None)


def fuzz(operation, *, known: dict, key: str, session: requests.Session) -> None:
    headers = {"Authorization": f"Api-Key {key}"} if key else {}

    @FUZZING
    @given(case=operation.as_strategy(), data=st.data())
    def each_case(case, data):
        steer(case, data, known, key=key)
        case.call_and_validate(base_url=known["server"].url, session=session, headers=headers, checks=CHECKS)

    each_case()


def caller_key(caller: str) -> str:
    if caller == "anonymous":
        return ""
    # A regional office's key sees every report of the region, so the reads find what POST wrote.
    organisation = Organisation.objects.get(code="akt-prok-region")
    _key, raw = api_key_create(name="fuzzer", organisation=organisation, rate_limit_per_minute=1_000_000)
    return raw


@pytest.mark.parametrize("caller", ["api_key", "anonymous"])
@pytest.mark.parametrize("schema_path", SCHEMAS)
def test_it_answers_every_operation_as_its_schema_says(known, schema_path, caller):
    schema = schemathesis.openapi.from_url(known["server"].url + schema_path)
    key = caller_key(caller)
    failures, operations = [], 0
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            try:
                fuzz(operation, known=known, key=key, session=session)
            except Exception as failure:  # every operation is fuzzed, and all failures reported at once
                failures.append(f"{operation.label}: {failure}")
    assert operations >= 5
    assert not failures, "\n\n".join(failures)
    assert Report.objects.count() <= 2 + 2 * EXAMPLES  # bounded: the POSTs of two operations at most
