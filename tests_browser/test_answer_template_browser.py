"""An answer template in a real browser: the Alga police officer picks one on the report's page
(htmx replaces the answer form) and both texts are filled, the one for the prosecutor and the
answer to the reporter, in Russian and in Kazakh, on a phone and at a desk."""

import pytest
from playwright.sync_api import expect

from conftest import make_persona
from signals.models import AnswerTemplate
from signals.tests.test_oversight import new_report
from tests_browser.conftest import DESKTOP, PHONE, capture
from tests_browser.test_staff_browser import confirmed_device, log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "viewport"), [("ru", PHONE), ("kk", DESKTOP)], ids=["ru-phone", "kk-desktop"])
def test_it_fills_both_texts_of_the_answer_from_a_template(page, reference_data, language, viewport):
    report = new_report()
    template = AnswerTemplate.objects.get(name_en="Administrative protocol drawn up", body_type="police_unit")
    expected = template.localized("text", language)
    user = make_persona("alga_officer")
    page.set_viewport_size(viewport)
    log_in(page, user, confirmed_device(user))
    page.goto(f"{page.base_url}/signals/{report.reference}/")
    switch_language(page, language)
    page.evaluate("window.wholePage = true")  # gone if the browser loaded a new page

    page.select_option("#answer-template", str(template.pk))
    page.locator(".template-picker button[type=submit]").click()
    text = page.locator("#answer-form textarea[name=text]")
    public_text = page.locator("#answer-form textarea[name=public_text]")
    expect(text).to_have_value(expected)
    expect(public_text).to_have_value(expected)
    assert page.evaluate("window.wholePage === true")  # htmx replaced the form alone
    capture(page, f"answer-template-{language}-{viewport['width']}.png")
