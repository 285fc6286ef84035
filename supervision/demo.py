"""Demo acts of prosecutorial response for 2024-2025, a step of the `demo` command.

Built from the demo reports (signals.demo): a district prosecutor's office answers a body's
overdue or returned answers with a submission (представление) to the body's head, now and then a
warning, an instruction or a protest, and tracks the outcome. The acts are written in bulk with
their events and outgoing numbers (the office's counter moves on as act_letter would move it),
each in the district its reports concern (supervision.districts, the service's rule).
The reports they name get their "act" event from signals (signals.demo.note_demo_acts): this
builder writes supervision's rows only. Nothing here is real: addressees are "Head of <body>",
the texts come from a few templates.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation, Region, User
from accounts.zones import region_zone
from signals.demo import ActNote, note_demo_acts
from signals.models import Report

from .districts import act_district_id, region_parents
from .models import OutgoingCounter, SupervisoryAct, SupervisoryActEvent

DEMO_SEED = 20250101
# Share of the overdue or returned demo reports that lead to an act (one act may cover several).
ACT_SHARE = 0.12
REPORTS_PER_ACT = (1, 4)

TYPE_WEIGHTS = {
    SupervisoryAct.Type.SUBMISSION: 70,
    SupervisoryAct.Type.WARNING: 10,
    SupervisoryAct.Type.INSTRUCTION: 10,
    SupervisoryAct.Type.PROTEST: 5,
    SupervisoryAct.Type.ADMIN_RESOLUTION: 5,
}
OUTCOME_WEIGHTS = {
    SupervisoryAct.Outcome.SATISFIED: 70,
    SupervisoryAct.Outcome.PARTLY: 15,
    SupervisoryAct.Outcome.REJECTED: 5,
    SupervisoryAct.Outcome.PENDING: 10,
}
LEGAL_BASIS = {
    "ru": "Статьи 6, 17 и 26 Закона Республики Казахстан «О прокуратуре»",
    "kk": "«Прокуратура туралы» Қазақстан Республикасы Заңының 6, 17 және 26-баптары",
}
SUMMARY = {
    "ru": (
        "Проверкой исполнения законодательства о рассмотрении обращений установлено, что ответы на "
        "сообщения о правонарушениях даны с нарушением установленного срока либо не содержат сведений "
        "о принятых мерах. Требую рассмотреть представление, устранить нарушения закона и причины, им "
        "способствующие, рассмотреть вопрос об ответственности виновных должностных лиц."
    ),
    "kk": (
        "Өтініштерді қарау туралы заңнаманың орындалуын тексеру барысында құқық бұзушылықтар туралы "
        "хабарламаларға жауаптар белгіленген мерзімді бұза отырып берілгені не қабылданған шаралар туралы "
        "мәліметтерсіз берілгені анықталды. Ұсынуды қарап, заң бұзушылықтарды және оларға ықпал еткен "
        "себептерді жоюды, кінәлі лауазымды адамдардың жауаптылығы туралы мәселені қарауды талап етемін."
    ),
}


def create_demo_acts(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if SupervisoryAct.objects.filter(region=region).exists():
            command.stdout.write(f"Acts of response of {region.short_code} exist: skipped.")
            continue
        with timezone.override(region_zone(region)):  # the acts' dates are the region's local days
            count = build_demo_acts(region=region)
        command.stdout.write(f"Demo acts of response of {region.short_code}: {count}.")


def _district_offices(region: Region) -> dict[int, Organisation]:
    """district id -> the prosecutor's office that serves it (a city district's own office first)."""
    offices = Organisation.objects.filter(
        region=region,
        kind=Organisation.Kind.PROSECUTOR_OFFICE,
        type__in=[
            Organisation.Type.DISTRICT_OFFICE,
            Organisation.Type.CITY_DISTRICT_OFFICE,
            Organisation.Type.CITY_OFFICE,
        ],
    ).prefetch_related("districts")
    serving: dict[int, Organisation] = {}
    for office in offices:
        for district in office.districts.all():
            if district.id not in serving or office.type != Organisation.Type.CITY_OFFICE:
                serving[district.id] = office
    return serving


def build_demo_acts(*, region: Region, seed: int = DEMO_SEED) -> int:
    rng = random.Random(seed)
    serving = _district_offices(region)
    parents = region_parents(region.pk)
    authors = dict(
        User.objects.filter(organisation__region=region, is_active=True)
        .order_by("id")
        .values_list("organisation_id", "id")
        .reverse()
    )
    late_or_returned = (
        Report.objects.filter(region=region, body__isnull=False, district__isnull=False)
        .filter(Q(overdue=True) | Q(answers__decision="returned"))
        .distinct()
        .order_by("submitted_at")
        .values("id", "district_id", "district__parent_id", "body_id", "deadline_at", "submitted_at")
    )
    # Group by (office, body, month): one act covers the body's late answers of a month.
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in late_or_returned.iterator(chunk_size=2000):
        office = serving.get(row["district_id"]) or serving.get(row["district__parent_id"])
        if office is None or rng.random() > ACT_SHARE:
            continue
        month = timezone.localtime(row["submitted_at"]).strftime("%Y-%m")
        groups[(office.pk, row["body_id"], month)].append(row)
    bodies = {b.pk: b for b in Organisation.objects.filter(pk__in={key[1] for key in groups})}
    offices = {o.pk: o for o in serving.values()}
    now = timezone.now()
    acts, links, counters = [], [], defaultdict(int)
    for (office_id, body_id, _month), rows in sorted(groups.items()):
        rows = rows[: rng.randint(*REPORTS_PER_ACT)]
        office, body = offices[office_id], bodies[body_id]
        issued = max(row["deadline_at"] or row["submitted_at"] for row in rows) + timedelta(days=rng.randint(2, 20))
        if issued > now:
            continue
        act_date = timezone.localdate(issued)
        language = "kk" if rng.random() < 0.35 else "ru"
        counters[(office_id, act_date.year)] += 1
        outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
        if (timezone.localdate(now) - act_date).days < 30:
            outcome = SupervisoryAct.Outcome.PENDING  # not answered yet: a month to consider it
        decided = outcome != SupervisoryAct.Outcome.PENDING
        acts.append(
            SupervisoryAct(
                region=region,
                district_id=act_district_id(
                    report_district_ids=[row["district_id"] for row in rows],
                    office_district_ids=[district.pk for district in office.districts.all()],
                    parents=parents,
                ),
                type=rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0],
                date=act_date,
                issuing_office=office,
                addressee=body,
                addressee_title=("Руководителю " if language == "ru" else "Басшысына: ")
                + body.localized("name", language),
                legal_basis=LEGAL_BASIS[language],
                summary=SUMMARY[language],
                language=language,
                outgoing_number=f"{office.code}/{act_date.year}/{counters[(office_id, act_date.year)]}",
                letter_at=issued,
                outcome=outcome,
                outcome_at=act_date + timedelta(days=rng.randint(10, 30)) if decided else None,
                officials_disciplined=rng.choice((0, 1, 1, 2, 3))
                if outcome != SupervisoryAct.Outcome.REJECTED and decided
                else 0,
                created_by_id=authors.get(office_id),
                created_at=issued,
            )
        )
        links.append([row["id"] for row in rows])
    SupervisoryAct.objects.bulk_create(acts, batch_size=1000)
    Through = SupervisoryAct.reports.through
    Through.objects.bulk_create(
        [
            Through(supervisoryact_id=act.pk, report_id=report_id)
            for act, ids in zip(acts, links, strict=True)
            for report_id in ids
        ],
        batch_size=2000,
    )
    events, notes = [], []
    for act, ids in zip(acts, links, strict=True):
        events.append(
            SupervisoryActEvent(
                act=act, at=act.created_at, kind=SupervisoryActEvent.Kind.RECORDED, actor_id=act.created_by_id
            )
        )
        events.append(
            SupervisoryActEvent(
                act=act,
                at=act.letter_at,
                kind=SupervisoryActEvent.Kind.LETTER,
                actor_id=act.created_by_id,
                data={"number": act.outgoing_number},
            )
        )
        if act.outcome_at:
            events.append(
                SupervisoryActEvent(
                    act=act,
                    at=act.created_at + timedelta(days=(act.outcome_at - act.date).days),
                    kind=SupervisoryActEvent.Kind.OUTCOME,
                    actor_id=act.created_by_id,
                    data={"outcome": act.outcome},
                )
            )
        notes.extend(ActNote(report_id, act.pk, act.type, act.created_at, act.created_by_id) for report_id in ids)
    SupervisoryActEvent.objects.bulk_create(events, batch_size=2000)
    note_demo_acts(notes)
    for (office_id, year), last in counters.items():
        counter, _ = OutgoingCounter.objects.get_or_create(office_id=office_id, year=year)
        if counter.last < last:
            counter.last = last
            counter.save(update_fields=["last"])
    return len(acts)
