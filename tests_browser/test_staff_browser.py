"""Each staff role logs in through the real form (and the second factor where the role needs it),
sees its home, switches language, and leaves screenshots under var/screenshots/."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from conftest import PASSWORD, make_persona
from lib.plugins import landing_url
from tests_browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One persona per staff role, and a word of its home that only that role sees.
STAFF = {
    "body_officer": "alga_officer",
    "district_prosecutor": "alga_prosecutor",
    "department_prosecutor": "department_prosecutor",
    "analyst": "analyst",
    "regional_prosecutor": "regional_prosecutor",
    "board_secretary": "board_secretary",
    "partner": "bank_partner",
    "admin": "administrator",
}
SWITCH_LABELS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def switch_language(page, language: str) -> str:
    page.get_by_role("button", name=SWITCH_LABELS[language]).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    return page.locator("body").inner_text()


def log_in(page, user, device=None):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if device is not None:
        assert "/accounts/otp/" in page.url
        code = f"{totp(device.bin_key):06d}"
        page.fill("input[name=token], input[name=otp_token]", code)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    # Staff land on their work (lib.plugins.NavEntry.lands), the others on the home page.
    landing = landing_url(user.role) or "/"
    assert re.fullmatch(rf"{re.escape(page.base_url)}{re.escape(landing)}(\?.*)?", page.url), page.url


def confirmed_device(user):
    if not user.needs_second_factor:
        return None
    return TOTPDevice.objects.create(user=user, name="browser test", confirmed=True)


@pytest.mark.parametrize("role", sorted(STAFF))
def test_it_shows_each_staff_role_its_home_in_three_languages(page, reference_data, screenshots, role):
    user = make_persona(STAFF[role])
    user.first_name, user.last_name = "Айгерім", "Сапарова"
    user.save()
    device = confirmed_device(user)
    organisation_ru = user.organisation.localized("name", "ru")

    log_in(page, user, device)
    page.goto(f"{page.base_url}/")
    assert page.get_by_text("Айгерім Сапарова").first.is_visible()

    kazakh = switch_language(page, "kk")
    page.screenshot(path=screenshots / f"{role}-kk.png", full_page=True)
    russian = switch_language(page, "ru")
    assert organisation_ru in russian
    page.screenshot(path=screenshots / f"{role}-ru.png", full_page=True)
    assert kazakh != russian
    english = switch_language(page, "en")
    assert english != russian
    page.screenshot(path=screenshots / f"{role}-en.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    page.screenshot(path=screenshots / f"{role}-phone.png")
    page.set_viewport_size(DESKTOP)

    # The language stays with the account: a fresh page of the same session keeps it.
    page.goto(f"{page.base_url}/accounts/directory/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_it_shows_visitors_the_public_home(page, reference_data, screenshots):
    page.goto(f"{page.base_url}/")
    for language in ("kk", "ru", "en"):
        switch_language(page, language)
        page.screenshot(path=screenshots / f"anonymous-{language}.png", full_page=True)
    assert page.get_by_role("link", name="Staff login").first.is_visible()
    page.set_viewport_size(PHONE)
    page.reload()
    page.screenshot(path=screenshots / "anonymous-phone.png")
    page.goto(f"{page.base_url}/accounts/login/")
    page.screenshot(path=screenshots / "login-phone.png")
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=screenshots / "login.png")


def test_it_filters_the_directory_with_htmx(page, reference_data, screenshots):
    user = make_persona("analyst")
    log_in(page, user, confirmed_device(user))
    switch_language(page, "en")
    page.goto(f"{page.base_url}/accounts/directory/")
    rows_before = page.locator("#directory-results tbody tr").count()
    with page.expect_response(re.compile(r"/accounts/directory/\?kind=partner")):
        page.select_option("#filter-kind", "partner")
    # A locator assertion polls from Playwright's own script: wait_for_function's
    # string predicate is evaluated in the page, which the CSP refuses (no unsafe-eval).
    expect(page.locator("#directory-results tbody tr")).not_to_have_count(rows_before)
    rows_after = page.locator("#directory-results tbody tr").count()
    assert 0 < rows_after < rows_before
    assert "kind=partner" in page.url
    page.screenshot(path=screenshots / "analyst-directory.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / "analyst-directory-phone.png", full_page=True)
