"""The oversight page's long lists through HTTP: paged (?page=, and htmx asking for one list),
the longest overdue first, narrowed by district and by body, and never beyond the user's scope
whatever filter values are typed into the address."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import District, Organisation
from signals import oversight, services
from signals.tests.test_oversight import ALGA, TEMIR, give_answer, new_report, set_state

pytestmark = pytest.mark.django_db

URL = "/signals/oversight/"
OVERDUE = {"HX-Request": "true", "HX-Target": "overdue-results"}


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"


def body(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def overdue(count: int, kato=ALGA, body_code="akt-police-alga", start_days=1) -> list[str]:
    """`count` overdue reports, each a day later than the one before: the references, the
    longest overdue first."""
    now = timezone.now()
    made = [
        set_state(new_report(kato=kato), body=body(body_code), deadline_at=now - timedelta(days=start_days + index))
        for index in range(count)
    ]
    return [report.reference for report in reversed(made)]


def overdue_references(html: str) -> list[str]:
    """The references of the overdue list, in the order shown."""
    start = html.index('id="overdue-results"')
    section = html[start : html.index("</table>", start)] if "</table>" in html[start:] else ""
    return re.findall(r'<th scope="row"><a href="/signals/([^/]+)/">', section)


def test_it_pages_the_overdue_answers_the_longest_overdue_first(login):
    references = overdue(oversight.LIMIT + 5)
    client = login("alga_prosecutor")
    first = client.get(URL).content.decode()
    assert overdue_references(first) == references[: oversight.LIMIT]
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert overdue_references(second) == references[oversight.LIMIT :]
    # A page past the end is the last page, and a page that is not a number the first.
    assert overdue_references(client.get(URL, {"page": 99}).content.decode()) == references[oversight.LIMIT :]
    assert overdue_references(client.get(URL, {"page": "x"}).content.decode()) == references[: oversight.LIMIT]


def test_it_answers_htmx_with_the_overdue_list_alone(login):
    references = overdue(oversight.LIMIT + 1)
    response = login("alga_prosecutor").get(URL, {"page": 2}, headers=OVERDUE)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "Repeat places" not in html
    assert html.lstrip().startswith('<div id="overdue-results">')
    assert overdue_references(html) == references[oversight.LIMIT :]
    assert "HX-Target" in response["Vary"]
    # A filter's change asks for every list below the filters; a history restore, the whole page.
    lists = login("alga_prosecutor").get(URL, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in lists and "Repeat places" in lists and 'id="overdue-results"' in lists
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in login("alga_prosecutor").get(URL, headers=restore).content.decode()


def test_it_keeps_the_filters_in_the_page_links(login):
    overdue(oversight.LIMIT + 1, kato=TEMIR, body_code="akt-police-temir")
    temir = District.objects.get(kato=TEMIR).pk
    police = body("akt-police-temir").pk
    html = login("regional_prosecutor").get(URL, {"district": temir, "body": police}).content.decode()
    assert f'href="?district={temir}&amp;body={police}&amp;page=2"' in html


def test_it_narrows_the_lists_to_a_body(login):
    police = overdue(2, body_code="akt-police-alga")
    akimat = overdue(1, body_code="akt-akimat-alga", start_days=10)
    client = login("alga_prosecutor")
    assert overdue_references(client.get(URL).content.decode()) == akimat + police
    html = client.get(URL, {"body": body("akt-akimat-alga").pk}).content.decode()
    assert overdue_references(html) == akimat
    assert f'<option value="{body("akt-akimat-alga").pk}" selected>' in html


def test_it_narrows_the_lists_to_a_district_for_regional_roles(login):
    alga = overdue(1)
    temir = overdue(1, kato=TEMIR, body_code="akt-police-temir")
    client = login("regional_prosecutor")
    assert sorted(overdue_references(client.get(URL).content.decode())) == sorted(alga + temir)
    html = client.get(URL, {"district": District.objects.get(kato=TEMIR).pk}, headers=OVERDUE).content.decode()
    assert overdue_references(html) == temir


def test_it_never_widens_a_district_prosecutors_scope_by_a_filter(login):
    alga = overdue(1)
    temir = overdue(1, kato=TEMIR, body_code="akt-police-temir")
    client = login("alga_prosecutor")
    temir_district = District.objects.get(kato=TEMIR).pk
    temir_police = body("akt-police-temir").pk
    page = client.get(URL).content.decode()
    assert f'value="{temir_police}"' not in page  # another district's body is not offered
    assert f'value="{body("akt-police-region").pk}"' in page  # a body serving the whole region is
    for query in ({"district": temir_district}, {"body": temir_police}, {"district": "x", "body": "-1"}):
        for headers in ({}, OVERDUE):
            html = client.get(URL, query, headers=headers).content.decode()
            assert temir[0] not in html, (query, headers)
    # A body not offered is ignored: the user's own rows, unnarrowed.
    assert overdue_references(client.get(URL, {"body": temir_police}).content.decode()) == alga


def test_it_pages_the_other_lists_by_their_own_number(persona, login):
    prosecutor = persona("alga_prosecutor")
    returned = []
    for _ in range(oversight.LIMIT + 1):
        report = new_report()
        give_answer(report)
        services.answer_return(report=report, reason="Again.", actor=prosecutor)
        returned.append(report.reference)
    client = login("alga_prosecutor")
    first = client.get(URL).content.decode()
    assert 'href="?returned_page=2"' in first and 'hx-target="#returned-results"' in first
    second = client.get(URL, {"returned_page": 2}, headers={"HX-Request": "true", "HX-Target": "returned-results"})
    html = second.content.decode()
    section = html[html.index('id="returned-results"') :]
    assert returned[-1] in section and returned[0] not in section


def test_it_pages_the_overdue_answers_with_a_constant_number_of_queries(persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import client_for

    client = client_for(persona("alga_prosecutor"))
    overdue(2)
    from accounts.zones import zones_by_region

    zones_by_region()  # the per-process zone cache, warm on a running server (accounts.zones)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, headers=OVERDUE)
    overdue(oversight.LIMIT + 5, start_days=5)
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"page": 2}, headers=OVERDUE)
    # Pinned: the session, the user, the second factor, the office and region, the scope, the filter
    # choices, then the list's count and page; none of the other sections.
    assert len(few) == len(many) == 14
