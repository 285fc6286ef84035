"""What people meet first (issue 11.2, 11.3, 11.5): a citizen's way in above the fold on a phone, a
menu that cuts no item at 1280 and 1366 px and on a phone with exactly one current item, staff
landing on their work, and the code entry in the language chosen at login."""

import contextlib

import pytest
from django_otp.oath import totp

from conftest import PASSWORD, make_persona
from lib.plugins import landing_url
from tests_browser.conftest import PHONE
from tests_browser.test_staff_browser import confirmed_device, log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"1280": {"width": 1280, "height": 900}, "1366": {"width": 1366, "height": 768}, "phone": PHONE}
# The personas with the most menu items: the administrator, and a prosecutor of a district.
MENU_PERSONAS = ("administrator", "alga_prosecutor")
CITIZEN_ACTIONS = {
    "kk": ("Құқық бұзушылық туралы хабарлау", "Хабарламамды бақылау"),
    "ru": ("Сообщить о правонарушении", "Следить за моим сообщением"),
    "en": ("Report an offence", "Follow my report"),
}


def _shoot(page, path) -> None:
    """A screenshot is an artifact, never an assertion: a failed capture fails nothing."""
    with contextlib.suppress(Exception):
        page.screenshot(path=path)


def _cut_menu_items(page) -> list[str]:
    """The menu items not wholly visible: outside the viewport or the menu's box, or scrolled away."""
    return page.evaluate(
        """() => {
          const list = document.querySelector('.site-nav__list');
          const box = list.getBoundingClientRect();
          const cut = [];
          if (list.scrollWidth > list.clientWidth + 1) cut.push('the menu scrolls');
          for (const link of list.querySelectorAll('.site-nav__link')) {
            const r = link.getBoundingClientRect();
            const outside = r.left < box.left - 1 || r.right > box.right + 1 || r.right > window.innerWidth
              || r.width === 0 || link.scrollWidth > link.clientWidth + 1;
            if (outside) cut.push(link.textContent.trim());
          }
          return cut;
        }"""
    )


@pytest.mark.parametrize("username", MENU_PERSONAS)
def test_it_cuts_no_menu_item_and_marks_one_current(page, reference_data, screenshots, username):
    user = make_persona(username)
    log_in(page, user, confirmed_device(user))
    for language in ("kk", "ru"):
        switch_language(page, language)
        page.goto(f"{page.base_url}/signals/oversight/")
        for name, size in WIDTHS.items():
            page.set_viewport_size(size)
            assert _cut_menu_items(page) == [], (language, name)
            current = page.locator('.site-nav__link[aria-current="page"]')
            assert current.count() == 1, (language, name)
            assert current.get_attribute("href") == "/signals/oversight/"
            _shoot(page, screenshots / f"menu-{username}-{language}-{name}.png")


@pytest.mark.parametrize("language", sorted(CITIZEN_ACTIONS))
def test_it_leads_a_citizen_on_a_phone_with_report_and_follow(page, reference_data, screenshots, language):
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/")
    switch_language(page, language)
    report, follow = CITIZEN_ACTIONS[language]
    for label in (report, follow):
        link = page.locator("main").get_by_role("link", name=label, exact=True)
        box = link.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], (label, box)
    staff = page.locator("main .hero__staff a").bounding_box()
    assert staff["y"] > page.locator("main").get_by_role("link", name=follow, exact=True).bounding_box()["y"]
    _shoot(page, screenshots / f"home-citizen-phone-{language}.png")
    page.locator("main").get_by_role("link", name=follow, exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/track/")
    _shoot(page, screenshots / f"follow-phone-{language}.png")


def test_it_lands_the_body_officer_on_the_queue_on_a_phone(page, reference_data, screenshots):
    user = make_persona("alga_officer")
    page.set_viewport_size(PHONE)
    log_in(page, user)
    assert page.url.endswith(landing_url(user.role))
    assert page.locator('.site-nav__link[aria-current="page"]').get_attribute("href") == "/signals/queue/"
    _shoot(page, screenshots / "landing-body-officer-phone.png")


@pytest.mark.parametrize(("language", "code_label"), [("ru", "Русский"), ("en", "English")])
def test_it_enters_the_code_in_the_language_chosen_at_login(page, reference_data, screenshots, language, code_label):
    user = make_persona("alga_prosecutor")
    user.language = "kk"  # saved before: the choice made on the login page is the later one
    user.save(update_fields=["language"])
    device = confirmed_device(user)
    page.goto(f"{page.base_url}/accounts/login/")
    switch_language(page, language)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/otp/" in page.url
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(f'.lang-switch__button[aria-current="true"]:has-text("{code_label}")').count() == 1
    _shoot(page, screenshots / f"otp-{language}.png")
    page.fill("input[name=token], input[name=otp_token]", f"{totp(device.bin_key):06d}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/signals/oversight/")
    assert page.locator("html").get_attribute("lang") == language


def test_it_shows_the_api_documentation_inside_the_site_in_kazakh(page, reference_data, screenshots):
    page.goto(f"{page.base_url}/")
    switch_language(page, "kk")
    page.goto(f"{page.base_url}/api/docs/")
    assert page.locator("main h1").first.inner_text() == "API құжаттамасы"
    page.locator("#swagger-ui .info").wait_for()  # Swagger UI ran under the CSP (the fixture checks it)
    assert page.locator(".site-header").is_visible()
    _shoot(page, screenshots / "api-docs-kk.png")
