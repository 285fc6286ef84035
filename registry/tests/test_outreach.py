"""The outreach log: an office logs its work by project, kind, district and day, within its remit;
bad input is refused by field; the results summary counts it and says it in each language."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import District
from accounts.zones import local_today
from registry import services
from registry.models import Outreach
from reporting.figures import Request, compute
from reporting.sentences import narrative
from reporting.tests import facts

pytestmark = pytest.mark.django_db
ALGA, TEMIR = "153200000", "155600000"


def log(persona, username="alga_prosecutor", kato=ALGA, **fields):
    values = {"project": "without_fraud", "kind": "brochures", "count": 500, "day": date(2025, 3, 3)}
    values.update(fields)
    actor, district = persona(username), District.objects.get(kato=kato)
    with facts.clock(facts.local(values["day"].year, values["day"].month, values["day"].day, 18)):  # logged that day
        return services.outreach_record(actor=actor, district=district, **values)


def test_an_office_logs_its_work_and_the_summary_counts_and_says_it(persona):
    log(persona, count=25_480)
    log(persona, kind="publications", count=1_043)
    log(persona, kind="meetings", count=1_500)
    log(persona, kind="billboards", count=127, username="temir_prosecutor", kato=TEMIR)
    log(persona, kind="meetings", count=40, day=date(2024, 5, 5))  # the base year
    summary = compute(Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 9, 30)))
    assert summary.figure("outreach.brochures").value == 25_480
    assert (summary.figure("outreach.meetings").value, summary.figure("outreach.meetings").base) == (1_500, 40)
    assert {p.key: p.value for p in summary.figure("outreach.billboards").by_district if p.value} == {TEMIR: 127}
    text = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "ru"))
    assert "распространено более 25\u00a0000 брошюр" in text and "размещено свыше 1\u00a0000 публикаций" in text
    assert "Организовано 1\u00a0500 встреч с населением" in text and "Установлено информационных баннеров: 127" in text
    assert "активистами" not in text  # none logged: left out, never "0 встреч"
    english = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "en"))
    assert "More than 25,000 brochures distributed" in english and "127 informational billboards installed" in english


def test_bad_input_is_refused_by_field_and_outside_the_remit(persona):
    with pytest.raises(ValidationError) as refused:
        services.outreach_record(
            actor=persona("alga_prosecutor"),
            district=District.objects.get(kato=ALGA),
            project="without_fraud",
            kind="parade",
            count=0,
            day=local_today() + timedelta(days=2),
        )
    assert set(refused.value.message_dict) == {"count", "day", "kind"}
    with pytest.raises(ValidationError, match="outside your remit"):
        log(persona, kato=TEMIR)
    with pytest.raises(PermissionDenied):
        log(persona, username="alga_officer")
    assert not Outreach.objects.exists()


def test_the_page_logs_and_lists_within_the_scope(login, persona):
    log(persona, username="temir_prosecutor", kato=TEMIR, kind="billboards", count=9)
    client = login("alga_prosecutor")
    alga = District.objects.get(kato=ALGA).pk
    refused = client.post(
        reverse("registry:outreach"),
        {"project": "law_and_order", "kind": "meetings", "count": "-3", "day": "2025-03-03", "district": alga},
    )
    assert refused.status_code == 400 and not Outreach.objects.filter(kind="meetings").exists()
    saved = client.post(
        reverse("registry:outreach"),
        {"project": "law_and_order", "kind": "meetings", "count": "12", "day": "2025-03-03", "district": alga},
    )
    assert saved.status_code == 302
    page = client.get(reverse("registry:outreach"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Meetings with the population" in page and ">12<" in page and ">9<" not in page
    for username in ("alga_officer", "bank_partner", "citizen"):
        assert login(username).get(reverse("registry:outreach")).status_code == 403


def test_the_demo_log_gives_the_reference_documents_figures_for_nine_months_of_2025():
    from registry.demo.outreach import build_demo_outreach

    region = facts.region()
    assert build_demo_outreach(region=region) > 100
    request = Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16))
    summary = compute(request)
    assert summary.figure("outreach.meetings").value == 1_500
    assert summary.figure("outreach.billboards").value == 127
    text = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "ru"))
    assert "распространено более 25\u00a0000 брошюр" in text
    assert "размещено свыше 1\u00a0000 публикаций" in text
    assert "Организовано 1\u00a0500 встреч с населением" in text
    assert "Установлено информационных баннеров: 127" in text
    assert "с активистами и волонтёрами" in text and "со студентами" in text
    english = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "en"))
    assert "More than 25,000 brochures" in english and "Over 1,000 publications" in english


def test_a_photo_of_the_work_is_kept_without_its_position_and_shown_in_scope(login, persona, settings, tmp_path):
    from signals.tests.test_photos import assert_no_metadata, jpeg_with_gps, upload

    settings.MEDIA_ROOT = tmp_path
    client = login("alga_prosecutor")
    fields = {"project": "children", "kind": "students", "count": "3", "day": "2025-03-03"}
    fields["district"] = District.objects.get(kato=ALGA).pk
    refused = client.post(
        reverse("registry:outreach"), {**fields, "photo": upload(b"%PDF-1.4 not a photo")}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400 and "not a photo we can read" in refused.content.decode()
    assert not Outreach.objects.exists()
    assert client.post(reverse("registry:outreach"), {**fields, "photo": upload(jpeg_with_gps())}).status_code == 302
    entry = Outreach.objects.get()
    photo_url = reverse("registry:outreach_photo", args=[entry.pk])
    assert photo_url in client.get(reverse("registry:outreach")).content.decode()
    served = client.get(photo_url)
    assert served.status_code == 200 and "private" in served["Cache-Control"]
    assert_no_metadata(b"".join(served.streaming_content))
    assert login("temir_prosecutor").get(photo_url).status_code == 404
    assert login("alga_officer").get(photo_url).status_code == 404
    assert login("analyst").get(photo_url).status_code == 200


def test_the_photo_input_carries_the_size_cap_for_the_browser(login):
    page = login("alga_prosecutor").get(reverse("registry:outreach")).content.decode()
    assert 'enctype="multipart/form-data"' in page and "data-max-bytes=" in page and "data-too-large-text=" in page
    assert "js/upload-cap" in page
