"""The 403, 404 and 500 pages, the API documentation and durations, in Kazakh and Russian (issue 11.5).

The test settings run with DEBUG off, so an unknown url answers the site's own 404, never Django's
list of url patterns."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.views.defaults import server_error

# What each page says, in each language (from locale/*/LC_MESSAGES/django.po).
HEADINGS = {
    "kk": {"404": "Бет табылмады", "403": "Қол жеткізу жабық", "500": "Біз жақта бірдеңе дұрыс болмады"},
    "ru": {"404": "Страница не найдена", "403": "Доступ запрещён", "500": "На нашей стороне что-то пошло не так"},
}
BACK = {"kk": "Басты бетке оралу", "ru": "Вернуться на главную"}
SITE_HEADER = 'class="site-header"'


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _assert_site_page(html: str, language: str, heading: str) -> None:
    assert f'<html lang="{language}">' in html
    assert SITE_HEADER in html
    assert heading in html
    assert BACK[language] in html and 'href="/"' in html


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_it_answers_an_unknown_url_with_the_site_404(db, language):
    response = _client(language).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _assert_site_page(html, language, HEADINGS[language]["404"])
    assert "URLconf" not in html and "urlpatterns" not in html


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_it_answers_a_wrong_tracking_token_with_the_site_404(db, language):
    response = _client(language).get("/track/not-a-real-token-0123456789/")
    assert response.status_code == 404
    _assert_site_page(response.content.decode(), language, HEADINGS[language]["404"])


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_it_refuses_a_page_with_the_site_403(login, persona, language):
    user = persona("alga_officer")
    user.language = language
    user.save(update_fields=["language"])
    response = login("alga_officer").get("/signals/oversight/")  # a body officer oversees nobody
    assert response.status_code == 403
    _assert_site_page(response.content.decode(), language, HEADINGS[language]["403"])


CSRF_REFUSED = {"kk": "Нысан жіберілмеді", "ru": "Форму не удалось отправить"}


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_it_refuses_a_form_without_its_csrf_token_with_the_site_403(db, language):
    """CSRF_FAILURE_VIEW: the site's page, translated, not Django's English one with its inline style."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post("/track/", {"link": "whatever"})
    assert response.status_code == 403
    html = response.content.decode()
    _assert_site_page(html, language, HEADINGS[language]["403"])
    assert CSRF_REFUSED[language] in html and "<style" not in html


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_it_renders_the_500_page_without_the_request_context(language):
    """Django's handler500 renders 500.html with no context processors and no database."""
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    _assert_site_page(response.content.decode(), language, HEADINGS[language]["500"])


@pytest.mark.parametrize(("language", "heading"), [("kk", "API құжаттамасы"), ("ru", "Документация API")])
def test_it_serves_the_api_documentation_in_the_site_s_page(db, language, heading):
    response = _client(language).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert SITE_HEADER in html and f"<h1>{heading}</h1>" in html
    assert 'id="swagger-ui"' in html and "<script>" not in html  # the CSP: scripts from files only


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "2\xa0жыл 9\xa0ай"), ("ru", "2\xa0года, 9\xa0месяцев"), ("en", "2\xa0years, 9\xa0months")],
)
def test_it_writes_durations_in_the_language(language, expected):
    now = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.get_current_timezone())
    with translation.override(language):
        assert timesince(datetime(2024, 3, 2, 12, 0, tzinfo=now.tzinfo), now) == expected


@pytest.mark.parametrize(
    ("delta", "expected"),
    [(timedelta(days=1), "1\xa0күн"), (timedelta(days=15), "2\xa0апта 1\xa0күн"), (timedelta(hours=5), "5\xa0сағат")],
)
def test_it_writes_short_durations_in_kazakh(delta, expected):
    now = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.get_current_timezone())
    with translation.override("kk"):
        assert timesince(now - delta, now) == expected
