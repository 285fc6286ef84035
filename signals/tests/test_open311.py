"""Open311 GeoReport v2, checked against the spec's examples (wiki.open311.org/GeoReport_v2)."""

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.api_keys import api_key_create, api_key_revoke
from accounts.models import Organisation
from signals.models import Report

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
ALGA_POINT = {"lat": "49.90278", "long": "57.33500"}  # the centre of Alga

# The elements of one request in the spec's GET requests example, in its order.
SPEC_REQUEST_ELEMENTS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "lat",
    "long",
    "media_url",
]


def new_key(code="akt-police-alga", **options) -> str:
    _, raw = api_key_create(name="city app", organisation=Organisation.objects.get(code=code), **options)
    return raw


def xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def create(client=None, fmt="json", **fields):
    data = {
        "api_key": new_key(),
        "service_code": "drug-dealing",
        "description": "Stashes are hidden behind the garages",
        **ALGA_POINT,
    }
    data.update(fields)
    return (client or Client()).post(
        f"{BASE}/requests.{fmt}",
        urllib.parse.urlencode(data, doseq=True),
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )


def test_it_lists_services_in_json_as_the_spec_shows():
    response = Client().get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = {s["service_code"]: s for s in response.json()}
    drug = services["drug-dealing"]
    assert set(drug) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert drug["service_name"] == "A place of drug dealing"
    assert drug["metadata"] is True
    assert drug["type"] == "realtime"


def test_it_lists_services_in_xml_as_the_spec_shows():
    root = xml(Client().get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert services and all(child.tag == "service" for child in root)
    first = services[0]
    for element in ("service_code", "service_name", "description", "metadata", "type", "keywords", "group"):
        assert first.find(element) is not None, element
    assert first.findtext("metadata") in ("true", "false")
    assert first.findtext("type") == "realtime"


def test_it_gives_a_service_definition_in_both_formats():
    definition = Client().get(f"{BASE}/services/drug-ad.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert definition["service_code"] == "drug-ad"
    link, platform = definition["attributes"]
    assert link == {
        "variable": True,
        "code": "link",
        "datatype": "string",
        "required": True,
        "datatype_description": None,
        "order": 1,
        "description": "Link to the ad, channel or bot",
    }
    assert platform["datatype"] == "singlevaluelist" and platform["order"] == 2
    assert {"key": "telegram", "name": "Telegram"} in platform["values"]

    root = xml(Client().get(f"{BASE}/services/drug-ad.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "drug-ad"
    attributes = root.find("attributes").findall("attribute")
    assert [a.findtext("code") for a in attributes] == ["link", "platform"]
    assert attributes[0].findtext("variable") == "true"
    assert attributes[0].findtext("required") == "true"
    values = attributes[1].find("values").findall("value")
    assert values[0].findtext("key") and values[0].findtext("name")


def test_it_answers_404_for_an_unknown_service_code_with_the_error_list():
    response = Client().get(f"{BASE}/services/no-such-service.json")
    assert response.status_code == 404
    [error] = response.json()
    assert error["code"] == 404 and "no-such-service" in error["description"]
    root = xml(Client().get(f"{BASE}/services/no-such-service.xml"))
    assert root.tag == "errors"
    assert root.find("error").findtext("code") == "404"
    posted = create(service_code="no-such-service")
    assert posted.status_code == 404
    assert Report.objects.count() == 0


def test_it_creates_a_request_and_answers_as_the_spec_shows():
    response = create()
    assert response.status_code == 200
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] is None
    report = Report.objects.get(reference=created["service_request_id"])
    assert report.channel == Report.Channel.OPEN311
    assert report.district.kato == "153200000"  # derived from the point
    assert report.body.code == "akt-police-alga"
    assert created["service_notice"]

    root = xml(create(fmt="xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("service_request_id").startswith("AKT-")
    assert request.find("account_id") is not None and not request.findtext("account_id")


def test_it_takes_attributes_and_multivalue_lists():
    response = create(service_code="drug-lab", **{"attribute[signs][]": ["chemical_smell", "covered_windows"]})
    assert response.status_code == 200, response.content
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    assert report.attributes["signs"] == ["chemical_smell", "covered_windows"]
    unknown = create(service_code="drug-lab", **{"attribute[signs][]": ["chemical_smell", "unicorns"]})
    assert unknown.status_code == 400
    assert unknown.json()[0]["code"] == 400

    response = create(
        service_code="drug-ad", **{"attribute[link]": "https://t.me/shop", "attribute[platform]": "telegram"}
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    assert report.attributes == {"link": "https://t.me/shop", "platform": "telegram"}


def test_it_keeps_the_contact_given_and_never_shows_it():
    response = create(first_name="Aigerim", last_name="S.", phone="+77011234567", email="a@example.kz")
    reference = response.json()[0]["service_request_id"]
    report = Report.objects.get(reference=reference)
    assert report.contact.name == "Aigerim S."
    shown = Client().get(f"{BASE}/requests/{reference}.json").content.decode()
    assert "Aigerim" not in shown and "7011234567" not in shown and "example.kz" not in shown


def test_it_answers_400_with_the_error_list_for_missing_fields():
    response = create(service_code="", description="")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    response = create(description="")
    assert response.status_code == 400
    assert any("description" in e["description"] for e in response.json())
    no_place = create(lat="", long="")
    assert no_place.status_code == 400
    half = create(long="")
    assert half.status_code == 400
    assert create(lat="north").status_code == 400
    assert Report.objects.count() == 0


def test_it_answers_403_for_a_missing_wrong_or_revoked_key():
    from accounts.models import ApiKey

    assert create(api_key="").status_code == 403
    wrong = create(api_key="tk_00000000_wrong")
    assert wrong.status_code == 403
    assert wrong.json()[0]["code"] == 403
    revoked = new_key()
    api_key_revoke(api_key=ApiKey.objects.get(prefix=revoked.split("_")[1]))
    root = xml(create(fmt="xml", api_key=revoked))
    assert root.tag == "errors" and root.find("error").findtext("code") == "403"
    assert Report.objects.count() == 0


def test_it_accepts_the_jurisdiction_by_kato_or_short_code_and_refuses_others():
    assert Client().get(f"{BASE}/services.json?jurisdiction_id=150000000").status_code == 200
    assert Client().get(f"{BASE}/services.json?jurisdiction_id=AKT").status_code == 200
    assert Client().get(f"{BASE}/services.json?jurisdiction_id=sfgov.org").status_code == 404
    assert create(jurisdiction_id="akt").status_code == 200
    assert create(jurisdiction_id="sfgov.org").status_code == 404


def test_it_lists_requests_without_sensitive_categories_or_personal_data():
    public = create(first_name="Aigerim", address_string="Flat 12, Abai st 5").json()[0]["service_request_id"]
    sensitive = create(service_code="domestic-violence", description="My neighbour beats his wife")
    assert sensitive.status_code == 200, sensitive.content
    hidden = sensitive.json()[0]["service_request_id"]

    listed = Client().get(f"{BASE}/requests.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["service_request_id"] for r in listed] == [public]
    request = listed[0]
    assert list(request) == SPEC_REQUEST_ELEMENTS
    assert request["status"] == "open"
    assert request["agency_responsible"]
    assert request["description"] is None
    assert request["address"] == "Alga District"  # the district, not the typed address
    assert "Flat 12" not in json.dumps(listed) and "Aigerim" not in json.dumps(listed)
    assert request["lat"] == 49.903 and request["long"] == 57.335  # coarse: about 100 m

    assert Client().get(f"{BASE}/requests/{hidden}.json").status_code == 404
    assert (
        Client().get(f"{BASE}/requests.json?service_request_id={hidden},{public}").json()[0]["service_request_id"]
        == public
    )

    root = xml(Client().get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    [element] = root.findall("request")
    assert [child.tag for child in element] == SPEC_REQUEST_ELEMENTS


def test_it_filters_requests_as_the_spec_says():
    reference = create().json()[0]["service_request_id"]
    report = Report.objects.get(reference=reference)

    def listed(query):
        response = Client().get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert listed("status=open") == [reference]
    assert listed("status=closed") == []
    assert listed("status=open,closed") == [reference]
    assert listed("service_code=fraud") == []
    assert listed("service_code=fraud,drug-dealing") == [reference]
    day = report.submitted_at.date()
    assert listed(f"start_date={day}T00:00:00Z") == [reference]
    assert listed("start_date=2010-01-01T00:00:00Z&end_date=2010-02-01T00:00:00Z") == []
    Report.objects.filter(pk=report.pk).update(status=Report.Status.REJECTED)
    assert listed("status=closed") == [reference]
    # Reopened by the reporter: open again (signals.policy's groups cover every status).
    Report.objects.filter(pk=report.pk).update(status=Report.Status.REOPENED)
    assert listed("status=open") == [reference]
    assert listed("status=closed") == []
    too_long = Client().get(f"{BASE}/requests.json?start_date=2010-01-01T00:00:00Z&end_date=2011-01-01T00:00:00Z")
    assert too_long.status_code == 400
    assert Client().get(f"{BASE}/requests.json?start_date=yesterday").status_code == 400
    assert Client().get(f"{BASE}/requests.json?status=pending").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "end_date=0001-01-01T00:00:00Z",  # the default start, 90 days earlier, is before the calendar
        "start_date=9999-12-31T00:00:00Z",  # and the default end after it
        "start_date=9999-12-31T23:00:00-05:00",  # no moment in UTC
        "start_date=0001-01-01T00:00:00%2B05:00",
    ],
)
def test_it_answers_dates_at_the_ends_of_the_calendar_without_a_server_error(query):
    response = Client().get(f"{BASE}/requests.json?{query}")
    assert response.status_code in (200, 400), response.content
    assert response.status_code == 200 or "ISO 8601" in response.json()[0]["description"]


def test_it_refuses_nul_characters_in_any_parameter_with_400():
    # PostgreSQL takes no NUL character, neither in a lookup nor in a stored text.
    for query in ("jurisdiction_id=AKT%00", "service_request_id=AKT-2025-000001%00", "service_code=%00"):
        response = Client().get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 400, query
        assert response.json()[0]["code"] == 400
    refused = create(description="Stashes\x00 behind the garages", first_name="\x00")
    assert refused.status_code == 400
    assert {error["description"].split(":")[0] for error in refused.json()} == {"description"}
    assert Report.objects.count() == 0


def test_it_serves_its_own_schema_with_both_formats_of_every_resource():
    schema = Client().get(f"{BASE}/schema/?format=json").json()
    assert schema["info"]["title"] == "Tartip Open311 GeoReport v2"
    for resource in ("discovery", "services", "services/{service_code}", "requests", "requests/{service_request_id}"):
        for fmt, media_type in (("json", "application/json"), ("xml", "text/xml")):
            get = schema["paths"][f"{BASE}/{resource}.{fmt}"]["get"]
            assert list(get["responses"]["200"]["content"]) == [media_type]
    create_request = schema["paths"][f"{BASE}/requests.json"]["post"]
    assert create_request["security"] == [{"Open311ApiKey": []}]
    assert schema["components"]["securitySchemes"]["Open311ApiKey"] == {
        **schema["components"]["securitySchemes"]["Open311ApiKey"],
        "in": "query",
        "name": "api_key",
    }
    assert all(path.startswith(f"{BASE}/") for path in schema["paths"])


def test_it_maps_every_status_to_open_or_closed():
    from signals.open311 import open311_status

    opened = {"new", "routed", "accepted", "answered", "returned", "reopened"}
    assert {s for s in Report.Status.values if open311_status(s) == "open"} == opened
    assert {s for s in Report.Status.values if open311_status(s) == "closed"} == {
        "resolved",
        "closed",
        "rejected",
        "duplicate",
    }


def test_it_gives_one_request_by_id_in_both_formats():
    reference = create().json()[0]["service_request_id"]
    [request] = Client().get(f"{BASE}/requests/{reference}.json").json()
    assert request["service_request_id"] == reference
    assert request["service_code"] == "drug-dealing"
    assert request["expected_datetime"]  # the deadline
    root = xml(Client().get(f"{BASE}/requests/{reference}.xml"))
    assert root.find("request").findtext("service_request_id") == reference
    missing = Client().get(f"{BASE}/requests/AKT-1999-000001.xml")
    assert missing.status_code == 404
    assert xml(missing).find("error").findtext("code") == "404"


def test_it_answers_tokens():
    from signals.models import Category
    from signals.services import report_submit

    submission = report_submit(
        actor=None,
        category=Category.objects.get(code="fraud"),
        description="A call from a 'bank'",
        channel=Report.Channel.WEB,
    )
    [answer] = Client().get(f"{BASE}/tokens/{submission.tracking_token}.json").json()
    assert answer == {"service_request_id": submission.report.reference, "token": submission.tracking_token}
    assert Client().get(f"{BASE}/tokens/unknown.json").status_code == 404


def test_it_writes_well_formed_xml_whatever_the_text():
    create(description="<b>bold</b> & \x01control \u0420\u0443\u0441")
    response = Client().get(f"{BASE}/requests.xml")
    ElementTree.fromstring(response.content)  # well formed
    assert b"<b>" not in response.content


def test_it_serves_the_discovery_document():
    discovery = Client().get(f"{BASE}/discovery.json").json()
    [endpoint] = discovery["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert "text/xml" in endpoint["formats"]
    root = xml(Client().get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints").find("endpoint").find("formats")] == [
        "text/xml",
        "application/json",
    ]


def test_it_limits_anonymous_calls_per_address_but_not_keys(settings):
    settings.API_ANONYMOUS_RATE_PER_MINUTE = 2
    client = Client()
    for _ in range(2):
        assert client.get(f"{BASE}/services.json").status_code == 200
    refused = client.get(f"{BASE}/services.xml")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert xml(refused).find("error").findtext("code") == "429"
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert other_address.get(f"{BASE}/services.json").status_code == 200
    key = new_key()
    for _ in range(3):
        assert client.get(f"{BASE}/services.json?api_key={key}").status_code == 200
        assert create(client, api_key=key).status_code == 200


def test_it_limits_a_key_by_its_own_rate():
    key = new_key(rate_limit_per_minute=1)
    assert create(api_key=key).status_code == 200
    refused = create(api_key=key)
    assert refused.status_code == 429
    assert refused.json()[0]["code"] == 429


def test_it_is_excluded_from_the_rest_schema():
    assert b"/open311/" not in Client().get("/api/schema/").content


@pytest.fixture
def reference_in_transactional_db(transactional_db):
    """Transactional tests empty the tables when they end: load the reference data again."""
    call_command("load_reference", verbosity=0)


def test_it_works_with_a_plain_http_client(live_server, reference_in_transactional_db):
    """What an existing Open311 client does: form-encoded POST, then GET by id, reading XML."""
    key = new_key()
    form = urllib.parse.urlencode(
        {
            "api_key": key,
            "jurisdiction_id": "AKT",
            "service_code": "drug-ad",
            "lat": "49.90278",
            "long": "57.33500",
            "address_string": "Alga",
            "description": "A channel sells drugs",
            "attribute[link]": "https://t.me/example",
            "email": "",
            "device_id": "tt222111",
            "media_url": "http://example.org/1.jpg",
        }
    ).encode()
    request = urllib.request.Request(
        f"{live_server.url}{BASE}/requests.xml",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the live test server)
        assert response.status == 200
        created = ElementTree.fromstring(response.read())
    reference = created.find("request").findtext("service_request_id")
    assert reference

    url = f"{live_server.url}{BASE}/requests/{reference}.xml?jurisdiction_id=AKT"
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        fetched = ElementTree.fromstring(response.read())
    assert fetched.find("request").findtext("service_code") == "drug-ad"
    assert fetched.find("request").findtext("status") == "open"

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{live_server.url}{BASE}/services/nothing.xml", timeout=10)  # noqa: S310
    assert refused.value.code == 404
    assert ElementTree.fromstring(refused.value.read()).find("error").findtext("code") == "404"
