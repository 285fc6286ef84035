import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.api_keys import api_key_create
from accounts.models import AuditEvent, Organisation
from signals.models import Report, ReporterContact

pytestmark = pytest.mark.django_db

ALGA = "153200000"
TEMIR = "155600000"


def new_key(code: str, **options) -> str:
    _, raw = api_key_create(name=f"{code} system", organisation=Organisation.objects.get(code=code), **options)
    return raw


def post_report(client: Client, key: str | None = None, headers: dict | None = None, **fields):
    data = {"category": "drug-dealing", "description": "Sales behind the bus station", "address": "Main st 1"}
    data.update(fields)
    extra = {"HTTP_X_API_KEY": key} if key else {}
    extra.update(headers or {})
    return client.post("/api/v1/reports/", data, content_type="application/json", **extra)


@pytest.fixture
def alga_report():
    """A report in Alga, routed to the Alga police, submitted by a regional system."""
    response = post_report(Client(), new_key("akt-prok-region"), district=ALGA)
    assert response.status_code == 201, response.content
    return Report.objects.get(reference=response.json()["reference"])


@pytest.fixture
def temir_report():
    response = post_report(Client(), new_key("akt-prok-region"), district=TEMIR)
    assert response.status_code == 201, response.content
    return Report.objects.get(reference=response.json()["reference"])


def test_it_lists_categories_to_anybody_in_the_requested_language():
    response = Client().get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    categories = {c["code"]: c for c in response.json()}
    assert categories["drug-dealing"]["name"] == "Место сбыта наркотиков"
    place_type = next(a for a in categories["drug-dealing"]["attributes"] if a["code"] == "place_type")
    assert place_type["datatype"] == "singlevaluelist"
    assert place_type["values"] and {"key", "name"} <= set(place_type["values"][0])
    english = Client().get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {c["code"]: c["name"] for c in english}["drug-dealing"] == "A place of drug dealing"


def test_it_creates_a_report_with_an_api_key(alga_report):
    assert alga_report.channel == Report.Channel.API
    assert alga_report.district.kato == ALGA
    assert alga_report.body.code == "akt-police-alga"
    assert alga_report.api_key is not None


def test_it_answers_201_with_the_report_and_a_tracking_token():
    response = post_report(Client(), new_key("akt-police-alga"), district=ALGA)
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("AKT-")
    assert body["category"] == "drug-dealing"
    assert body["district"] == ALGA
    assert body["body"] == "akt-police-alga"
    assert len(body["tracking_token"]) >= 22
    assert response["Location"] == f"/api/v1/reports/{body['reference']}/"
    assert "contact" not in body


def test_it_refuses_anonymous_submissions_with_403():
    assert post_report(Client()).status_code == 403
    assert Report.objects.count() == 0


def test_it_refuses_wrong_revoked_and_expired_keys_with_403():
    from datetime import timedelta

    from django.utils import timezone

    from accounts.api_keys import api_key_revoke
    from accounts.models import ApiKey

    revoked = new_key("akt-police-alga")
    api_key_revoke(api_key=ApiKey.objects.get(prefix=revoked.split("_")[1]))
    expired = new_key("akt-police-alga", expires_at=timezone.now() - timedelta(minutes=1))
    for key in (revoked, expired, "tk_nothing_here", "not-even-a-key"):
        assert post_report(Client(), key).status_code == 403
        assert Client().get("/api/v1/reports/", HTTP_X_API_KEY=key).status_code == 403
    assert Report.objects.count() == 0


def test_it_lets_staff_submit_by_session_but_not_citizens(login):
    response = post_report(login("alga_prosecutor"), district=ALGA)
    assert response.status_code == 201
    report = Report.objects.get(reference=response.json()["reference"])
    assert report.entered_by.username == "alga_prosecutor"
    assert post_report(login("citizen"), district=ALGA).status_code == 403


def test_it_returns_field_errors_translated_by_accept_language():
    key = new_key("akt-police-alga")
    response = post_report(
        Client(), key, headers={"HTTP_ACCEPT_LANGUAGE": "ru"}, description="", category="no-such-thing"
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"category", "description"}
    assert "Это поле не может быть пустым" in errors["description"][0]


def test_it_returns_the_services_field_errors():
    response = post_report(Client(), new_key("akt-police-alga"), address="", district=ALGA)
    assert response.status_code == 400
    assert "location" in response.json()  # drug-dealing needs a place


def test_it_refuses_a_description_over_4000_characters():
    response = post_report(Client(), new_key("akt-police-alga"), description="x" * 4001, district=ALGA)
    assert response.status_code == 400
    assert "description" in response.json()


def test_it_returns_the_first_report_on_an_idempotent_retry():
    key = new_key("akt-police-alga")
    headers = {"HTTP_IDEMPOTENCY_KEY": "crm-4711"}
    first = post_report(Client(), key, headers=headers, district=ALGA)
    again = post_report(Client(), key, headers=headers, district=ALGA, description="changed")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["tracking_token"] is None
    assert Report.objects.count() == 1
    other_key = post_report(Client(), new_key("akt-police-alga"), headers=headers, district=ALGA)
    assert other_key.status_code == 201  # idempotency keys are per API key


@pytest.fixture
def reference_in_transactional_db(transactional_db):
    """Transactional tests empty the tables when they end: load the reference data again."""
    call_command("load_reference", verbosity=0)


def test_it_gives_one_report_when_two_identical_retries_arrive_at_once(reference_in_transactional_db):
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and ("memory" in name):
        # Threads sharing an in-memory SQLite database get "table is locked" at once instead of
        # waiting; run it on PostgreSQL (or a file database), where both requests really race.
        pytest.skip("needs a database where concurrent transactions wait for each other")
    key = new_key("akt-police-alga")
    barrier = threading.Barrier(2)
    results = []

    def submit():
        try:
            barrier.wait()
            results.append(post_report(Client(), key, headers={"HTTP_IDEMPOTENCY_KEY": "same"}, district=ALGA))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in results) == [200, 201]
    assert len({r.json()["reference"] for r in results}) == 1
    assert Report.objects.count() == 1


def test_it_keeps_the_submission_lean():
    key = new_key("akt-police-alga")
    post_report(Client(), key, district=ALGA)  # warm up: the key's last use is written once
    client = Client()
    with CaptureQueriesContext(connection) as submitting:
        assert post_report(client, key, district=ALGA).status_code == 201
    with CaptureQueriesContext(connection) as service_only:
        from signals.models import Category
        from signals.services import report_submit

        report_submit(
            actor=None,
            category=Category.objects.get(code="drug-dealing"),
            description="x",
            channel=Report.Channel.API,
            district=ALGA,
            address="Main st 1",
        )
    # The view adds at most the key lookup and the rate limit in the database cache (both only
    # now and then: see test_it_submits_with_six_statements...); nothing per field of the answer.
    assert len(submitting.captured_queries) <= len(service_only.captured_queries) + 10


def test_it_submits_with_six_statements_once_the_reference_data_is_cached(django_capture_on_commit_callbacks):
    key = new_key("akt-police-alga")
    post_report(Client(), key, district=ALGA)  # fills this process's caches, writes the key's last use
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        assert post_report(Client(), key, district=ALGA).status_code == 201
    # The counter (UPDATE ... RETURNING), the report, its two events (one insert), the tasks (the
    # body's notice and the registry's reading, one insert: lib.tasks.enqueue_all_on_commit); the
    # savepoint pair only because the test holds a transaction (a request has BEGIN and COMMIT
    # instead). The key, category, district, routing and calendar come from memory, and the
    # key's limit is counted in memory between batches.
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert statements == ["SAVEPOINT", "UPDATE", "INSERT", "INSERT", "INSERT", "RELEASE"], statements


def test_it_lets_a_bodys_key_see_only_the_reports_routed_to_it(alga_report, temir_report):
    alga_police = new_key("akt-police-alga")
    listed = Client().get("/api/v1/reports/", HTTP_X_API_KEY=alga_police).json()["results"]
    assert [r["reference"] for r in listed] == [alga_report.reference]
    client = Client()
    assert client.get(f"/api/v1/reports/{alga_report.reference}/", HTTP_X_API_KEY=alga_police).status_code == 200
    assert client.get(f"/api/v1/reports/{temir_report.reference}/", HTTP_X_API_KEY=alga_police).status_code == 404
    # The refused attempt on an existing report is audited with the key's prefix; a miss is not.
    assert client.get("/api/v1/reports/AKT-1999-000001/", HTTP_X_API_KEY=alga_police).status_code == 404
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED)
    assert [(e.target, e.details["api_key"]) for e in denied] == [
        (f"signals.Report: {{'reference': '{temir_report.reference}'}}", alga_police.split("_")[1])
    ]


def test_it_lets_a_district_offices_key_see_its_district(alga_report, temir_report):
    listed = Client().get("/api/v1/reports/", HTTP_X_API_KEY=new_key("akt-prok-temir")).json()["results"]
    assert [r["reference"] for r in listed] == [temir_report.reference]


def test_it_scopes_sessions_by_the_users_districts(login, alga_report, temir_report):
    temir = login("temir_prosecutor")
    assert temir.get(f"/api/v1/reports/{alga_report.reference}/").status_code == 404
    denied = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED)
    assert (denied.actor_label, denied.target) == (
        "temir_prosecutor",
        f"signals.Report: {{'reference': '{alga_report.reference}'}}",
    )
    assert temir.get(f"/api/v1/reports/{temir_report.reference}/").status_code == 200
    assert [r["reference"] for r in temir.get("/api/v1/reports/").json()["results"]] == [temir_report.reference]
    officer = login("alga_officer")
    assert [r["reference"] for r in officer.get("/api/v1/reports/").json()["results"]] == [alga_report.reference]
    assert officer.get(f"/api/v1/reports/{temir_report.reference}/").status_code == 404
    assert login("bank_partner").get("/api/v1/reports/").json()["results"] == []
    assert login("citizen").get(f"/api/v1/reports/{alga_report.reference}/").status_code == 404
    regional = {r["reference"] for r in login("analyst").get("/api/v1/reports/").json()["results"]}
    assert regional == {alga_report.reference, temir_report.reference}


def test_it_refuses_anonymous_reads():
    assert Client().get("/api/v1/reports/").status_code == 403
    assert Client().get("/api/v1/reports/AKT-2025-000001/").status_code == 403


def test_it_shows_contacts_to_prosecutors_only_and_audits_it(login):
    key = new_key("akt-police-alga")
    contact = {"name": "Aigerim", "phone": "+77011234567", "email": "a@example.kz", "consent": True}
    response = post_report(Client(), key, district=ALGA, contact=contact)
    assert response.status_code == 201
    reference = response.json()["reference"]
    assert ReporterContact.objects.filter(report__reference=reference).exists()
    assert "Aigerim" not in response.content.decode()

    by_key = Client().get(f"/api/v1/reports/{reference}/", HTTP_X_API_KEY=key)
    assert by_key.json()["contact"] is None
    officer = login("alga_officer").get(f"/api/v1/reports/{reference}/")
    assert officer.json()["contact"] is None
    assert "Aigerim" not in login("alga_officer").get("/api/v1/reports/").content.decode()

    before = AuditEvent.objects.filter(action=AuditEvent.Action.PERSONAL_DATA_VIEW).count()
    prosecutor = login("alga_prosecutor").get(f"/api/v1/reports/{reference}/")
    assert prosecutor.json()["contact"]["name"] == "Aigerim"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERSONAL_DATA_VIEW).count() == before + 1


def test_it_refuses_contacts_without_consent():
    contact = {"name": "Aigerim", "consent": False}
    response = post_report(Client(), new_key("akt-police-alga"), district=ALGA, contact=contact)
    assert response.status_code == 400
    assert "consent" in response.json()["contact"]


def test_it_filters_the_list(login, alga_report, temir_report):
    client = login("analyst")

    def references(query):
        response = client.get("/api/v1/reports/" + query)
        assert response.status_code == 200, response.content
        return {r["reference"] for r in response.json()["results"]}

    assert references(f"?district={ALGA}") == {alga_report.reference}
    assert references("?status=routed") == {alga_report.reference, temir_report.reference}
    assert references("?status=closed,rejected") == set()
    assert references("?category=fraud") == set()
    assert references("?updated_since=2000-01-01T00:00:00Z") == {alga_report.reference, temir_report.reference}
    assert references("?updated_since=2999-01-01T00:00:00Z") == set()
    assert client.get("/api/v1/reports/?status=bogus").status_code == 400


def test_it_pages_the_list_with_a_cursor(login):
    key = new_key("akt-prok-region")
    for _ in range(3):
        post_report(Client(), key, district=ALGA)
    client = login("analyst")
    first = client.get("/api/v1/reports/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    seen = {r["reference"] for r in first["results"] + second["results"]}
    assert len(seen) == 3


def test_it_answers_404_for_a_cursor_it_did_not_give(login):
    import base64

    client = login("analyst")
    for position in ("p=not-a-date", "p=2025-01-01", "p=0001-01-01 00:00:00%2B05:00", "o=x"):
        cursor = base64.b64encode(position.encode()).decode()
        response = client.get("/api/v1/reports/", {"cursor": cursor})
        assert response.status_code == 404, position
        assert list(response.json()) == ["detail"]


def test_it_refuses_nul_characters_as_field_errors(login):
    # PostgreSQL takes no NUL character, neither in a lookup nor in a stored text (nor in jsonb).
    client = login("analyst")
    for query in ("?category=%00", "?district=1532%00"):
        response = client.get("/api/v1/reports/" + query)
        assert response.status_code == 400, query
    response = post_report(Client(), new_key("akt-police-alga"), district=ALGA, attributes={"place_type": "x\x00"})
    assert response.status_code == 400
    assert "attributes" in response.json()
    assert client.get("/api/v1/reports/AKT-2025-00000%00/").status_code == 404


def test_it_looks_up_only_what_is_shaped_like_a_reference(login):
    client = login("analyst")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/reports/not-a-reference/")
    assert response.status_code == 404
    assert response.json() == client.get("/api/v1/reports/AKT-1999-000001/").json()
    assert not [q for q in queries.captured_queries if "signals_report" in q["sql"]]


def test_it_takes_json_only():
    response = Client().post(
        "/api/v1/reports/",
        {"category": "fraud", "description": "x"},
        HTTP_X_API_KEY=new_key("akt-police-alga"),
    )
    assert response.status_code == 415
    assert Report.objects.count() == 0


def test_it_lists_with_a_constant_number_of_queries(login):
    key = new_key("akt-prok-region")
    client = login("analyst")
    post_report(Client(), key, district=ALGA)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/reports/")
    for _ in range(4):
        post_report(Client(), key, district=TEMIR)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get("/api/v1/reports/").json()["results"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_it_escapes_nothing_away_but_never_renders_html():
    response = post_report(Client(), new_key("akt-police-alga"), district=ALGA, description="<script>x</script>")
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["description"] == "<script>x</script>"


def test_it_documents_the_endpoints_in_the_schema():
    schema = Client().get("/api/schema/").content.decode()
    for path in ("/api/v1/categories/", "/api/v1/reports/", "/api/v1/reports/{reference}/"):
        assert path in schema
    assert "Idempotency-Key" in schema
    assert "ApiKey" in schema


def test_it_documents_every_answer_with_its_body():
    schema = Client().get("/api/schema/?format=json").json()
    statuses = {
        (path, method): set(operation["responses"])
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert statuses[("/api/v1/me/", "get")] == {"200", "403"}
    assert statuses[("/api/v1/reports/", "get")] == {"200", "400", "403", "404", "429"}
    assert statuses[("/api/v1/reports/", "post")] == {"200", "201", "400", "403", "415", "429"}
    assert statuses[("/api/v1/reports/{reference}/", "get")] == {"200", "403", "404", "429"}
    for methods in schema["paths"].values():
        for operation in methods.values():
            assert all("application/json" in answer["content"] for answer in operation["responses"].values())
    listing = schema["paths"]["/api/v1/reports/"]["get"]["parameters"]
    status = next(parameter for parameter in listing if parameter["name"] == "status")
    assert status["schema"]["items"]["enum"] == sorted(Report.Status.values)
    assert (status["style"], status["explode"]) == ("form", False)
    description = schema["components"]["schemas"]["ReportInputRequest"]["properties"]["description"]
    assert description["minLength"] == 1
