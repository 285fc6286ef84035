"""Networks: indicators seen in the same report or notice row are linked as sightings arrive, once
per shared context; an unlinked sighting takes its links back; components are kept (hubs join
none); an indicator's network is read to a depth, capped and scoped for every persona; the
largest networks of a period are ranked; the pages draw it."""

import threading
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from schwifty import IBAN
from stdnum import luhn

from accounts.models import District
from registry import networks, services
from registry.indicators import Kind, normalize
from registry.models import Indicator, IndicatorLink, Sighting
from registry.tests.test_indicators import IIN
from signals import services as signals_services

pytestmark = pytest.mark.django_db
ALGA, TEMIR = "153200000", "155600000"
AT = timezone.make_aware(datetime(2025, 6, 1, 12, 0))


@pytest.fixture
def login(login):
    def _login(username):
        client = login(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


def card(number: int) -> str:
    digits = f"440043{number:09d}"
    return digits + luhn.calc_check_digit(digits)


def account(number: int) -> str:
    return IBAN.generate("KZ", bank_code="601", account_code=f"{number:013d}").compact


def phone(number: int) -> str:
    return f"+7705{number:07d}"


def take(kind, raw, context, kato=ALGA, amount=None, at=AT):
    district = District.objects.get(kato=kato)
    sighting = services.indicator_take(
        actor=None,
        found=normalize(kind, raw),
        source=Sighting.Source.BANK_NOTICE,
        region=district.region,
        at=at,
        district=district,
        context=context,
    )
    if amount is not None:
        Sighting.objects.filter(pk=sighting.pk).update(amount=Decimal(amount))
    return sighting.indicator


def linked(a, b) -> IndicatorLink | None:
    low, high = sorted([a.pk, b.pk])
    return IndicatorLink.objects.filter(a_id=low, b_id=high).first()


def assert_sizes_kept() -> None:
    """Each component's size is on the row its label names, and 0 on every other row."""
    counted = dict(
        Indicator.objects.exclude(network=None).values("network").annotate(n=Count("pk")).values_list("network", "n")
    )
    kept = dict(Indicator.objects.exclude(network_size=0).values_list("pk", "network_size"))
    assert kept == counted


def fresh(indicator) -> Indicator:
    return Indicator.objects.get(pk=indicator.pk)


def submit(text, kato=ALGA):
    return signals_services.report_submit(
        actor=None,
        category="drug-ad",
        description=text,
        channel="web",
        district=District.objects.get(kato=kato),
        address="ул. Айтеке би 1",
        attributes={"link": "https://t.me/Darik_Aktobe"},
    ).report


# --- Links as sightings arrive -------------------------------------------------------------------


def test_two_values_in_one_report_are_linked_and_reading_it_again_adds_nothing():
    report = submit("Звонили с 8 705 123 45 67, просили перевести на карту " + card(1))
    assert services.report_indicators_take(report_id=report.pk) == 3
    phone_, card_ = Indicator.objects.get(kind=Kind.PHONE), Indicator.objects.get(kind=Kind.CARD)
    link = linked(phone_, card_)
    assert link is not None and link.contexts == 1 and link.first_linked_at == report.submitted_at
    assert fresh(phone_).links == fresh(card_).links == 2  # and the channel
    assert IndicatorLink.objects.count() == 3
    assert fresh(phone_).network == fresh(card_).network is not None
    services.report_indicators_take(report_id=report.pk)
    assert services.links_add(contexts=[f"report:{report.pk}"]) == 0
    assert IndicatorLink.objects.count() == 3 and linked(phone_, card_).contexts == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers")
def test_two_linkers_at_once_merge_one_network_and_keep_its_size():
    """A chain of values, each pair in its own context, linked by two workers at once (every other
    context each): one network of them all, its size on its label's row, nothing lost."""
    chain = [take(Kind.CARD, card(n), "") for n in range(12)]
    for n in range(11):  # value n and n + 1 seen together in context n
        for indicator in (chain[n], chain[n + 1]):
            sighting = Sighting.objects.filter(indicator=indicator, context="").first() or Sighting.objects.create(
                indicator=indicator, source=Sighting.Source.BANK_NOTICE, at=AT, recorded_at=AT
            )
            Sighting.objects.filter(pk=sighting.pk).update(context=f"notice:9:{n}")
    barrier, failures = threading.Barrier(2), []

    def link(contexts):
        try:
            barrier.wait()
            services.links_add(contexts=contexts)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connections.close_all()

    workers = [
        threading.Thread(target=link, args=([f"notice:9:{n}" for n in range(start, 11, 2)],)) for start in (0, 1)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert IndicatorLink.objects.count() == 11
    assert len({fresh(value).network for value in chain}) == 1
    assert_sizes_kept()
    assert max(Indicator.objects.values_list("network_size", flat=True)) == 12


def test_a_second_shared_context_counts_once_more():
    a = take(Kind.PHONE, phone(1), "notice:1:1")
    b = take(Kind.CARD, card(1), "notice:1:1")
    take(Kind.PHONE, phone(1), "notice:2:7")
    take(Kind.CARD, card(1), "notice:2:7")
    assert linked(a, b).contexts == 2
    assert services.links_add(contexts=["notice:1:1", "notice:2:7"]) == 0
    assert linked(a, b).contexts == 2


def test_a_notice_rows_account_card_and_iin_are_linked_and_a_shared_iin_puts_two_steps_between(persona):
    account_ = take(Kind.IBAN, account(1), "notice:5:1")
    card_ = take(Kind.CARD, card(1), "notice:5:1")
    person = take(Kind.IIN, IIN, "notice:5:1")
    assert linked(account_, card_) and linked(account_, person) and linked(card_, person)
    other_card = take(Kind.CARD, card(2), "notice:5:2")
    take(Kind.IIN, IIN, "notice:5:2")
    assert linked(other_card, person) and linked(other_card, account_) is None
    network = networks.network_of(persona("regional_prosecutor"), fresh(account_), depth=2)
    depths = {node.indicator.pk: node.depth for node in network.nodes}
    assert depths == {account_.pk: 0, card_.pk: 1, person.pk: 1, other_card.pk: 2}
    assert len({fresh(i).network for i in (account_, card_, person, other_card)}) == 1


def test_a_batch_of_contexts_is_linked_at_once_and_twice_changes_nothing():
    district = District.objects.get(kato=ALGA)
    rows = []
    for row in range(50):
        for found in (normalize(Kind.IBAN, account(row)), normalize(Kind.CARD, card(row))):
            indicator = Indicator(region=district.region, first_seen_at=AT, last_seen_at=AT)
            indicator.hold(found)
            indicator.save()
            rows.append(
                Sighting(
                    indicator=indicator,
                    source=Sighting.Source.BANK_NOTICE,
                    district=district,
                    at=AT,
                    recorded_at=AT,
                    context=f"notice:9:{row}",
                )
            )
    Sighting.objects.bulk_create(rows)
    contexts = [f"notice:9:{row}" for row in range(50)]
    assert services.links_add(contexts=contexts) == 50
    assert services.links_add(contexts=contexts) == 0
    assert IndicatorLink.objects.count() == 50
    assert Indicator.objects.values("network").distinct().count() == 50
    assert_sizes_kept()


def test_a_batch_joining_one_component_to_two_others_makes_one():
    a1, a2 = take(Kind.PHONE, phone(1), "notice:1:1"), take(Kind.CARD, card(1), "notice:1:1")
    b, c = take(Kind.CARD, card(2), "notice:2:1"), take(Kind.CARD, card(3), "notice:3:1")
    take(Kind.CARD, card(4), "notice:2:1")
    district = District.objects.get(kato=ALGA)
    # One batch: a1 with b's component in one row, a2 with c's in another.
    for indicator, context in ((a1, "notice:4:1"), (b, "notice:4:1"), (a2, "notice:4:2"), (c, "notice:4:2")):
        Sighting.objects.create(
            indicator=indicator,
            source=Sighting.Source.BANK_NOTICE,
            district=district,
            at=AT,
            recorded_at=AT,
            context=context,
        )
    services.links_add(contexts=["notice:4:1", "notice:4:2"])
    assert len({fresh(i).network for i in (a1, a2, b, c)}) == 1
    assert_sizes_kept()


def test_an_unlinked_sighting_takes_its_link_back_and_splits_the_network(persona):
    a = take(Kind.PHONE, phone(1), "notice:1:1")
    b = take(Kind.CARD, card(1), "notice:1:1")
    c = take(Kind.CARD, card(2), "notice:1:2")
    take(Kind.PHONE, phone(1), "notice:1:2")
    assert fresh(a).network == fresh(b).network == fresh(c).network
    sighting = Sighting.objects.get(indicator=c, context="notice:1:2")
    services.sighting_unlink(actor=persona("alga_prosecutor"), sighting=sighting)
    assert linked(a, c) is None and linked(a, b).contexts == 1
    assert fresh(c).links == 0 and fresh(c).network is None
    assert fresh(a).network == fresh(b).network is not None
    assert services.links_remove(sightings=[sighting.pk]) == 0  # taken back once
    assert_sizes_kept()


def test_the_component_keeps_the_larger_sides_label_on_a_merge():
    big = [take(Kind.PHONE, phone(1), "notice:1:1")]
    big += [take(Kind.CARD, card(n), "notice:1:1") for n in range(1, 4)]
    small = [take(Kind.PHONE, phone(2), "notice:2:1"), take(Kind.CARD, card(9), "notice:2:1")]
    label = fresh(big[0]).network
    assert label in {i.pk for i in big} and fresh(small[0]).network != label
    take(Kind.PHONE, phone(2), "notice:3:1")
    take(Kind.CARD, card(1), "notice:3:1")
    assert {fresh(i).network for i in big + small} == {label}
    assert_sizes_kept()
    assert fresh(big[0]).network == label and Indicator.objects.get(pk=label).network_size == 6


def test_a_hub_is_shown_collapsed_joins_no_network_and_is_proposed_for_the_allow_list(settings, persona, login):
    settings.REGISTRY_HUB_LINKS = 3
    hotline = None
    values = []
    for n in range(1, 6):  # the hotline quoted beside five unrelated cards
        hotline = take(Kind.PHONE, "+77273000000", f"report-like:{n}")
        values.append(take(Kind.CARD, card(n), f"report-like:{n}"))
    hotline = fresh(hotline)
    assert hotline.links == 5 and networks.is_hub(hotline) and hotline.network is None
    assert len({fresh(value).network for value in values}) == 5  # not merged through the hub
    assert_sizes_kept()
    network = networks.network_of(persona("regional_prosecutor"), fresh(values[0]), depth=4)
    assert [node.indicator.pk for node in network.nodes] == [values[0].pk, hotline.pk]
    assert network.hubs[0].indicator.pk == hotline.pk
    page = login("regional_prosecutor").get(reverse("registry:indicator", args=[values[0].pk])).content.decode()
    assert "hub" in page and "shown collapsed" in page
    allow_list = login("administrator").get(reverse("registry:allow_list")).content.decode()
    assert "Proposed for the allow-list" in allow_list and "+77273000000" in allow_list
    # The admin's form prefilled with the kind alone: a value never travels in an address.
    assert reverse("admin:registry_ignoredvalue_add") + '?kind=phone"' in allow_list
    assert "%2B77273000000" not in allow_list


# --- Reading a network ---------------------------------------------------------------------------


def chain(length: int) -> list[Indicator]:
    """phone 0 – card 1 – phone 1 – card 2 – ...: each step a notice row."""
    values = [take(Kind.PHONE, phone(0), "notice:7:0")]
    for n in range(1, length + 1):
        kind, raw = (Kind.CARD, card(n)) if n % 2 else (Kind.PHONE, phone(n))
        values.append(take(kind, raw, f"notice:7:{n - 1}"))
        take(kind, raw, f"notice:7:{n}")
    return values


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_the_network_reaches_as_many_steps_as_asked(persona, depth):
    values = chain(6)
    network = networks.network_of(persona("regional_prosecutor"), values[0], depth=depth)
    assert [node.indicator.pk for node in network.nodes] == [value.pk for value in values[: depth + 1]]
    assert [node.depth for node in network.nodes] == list(range(depth + 1))
    assert len(network.edges) == depth


def test_the_network_is_capped(persona, monkeypatch):
    monkeypatch.setattr(networks, "MAX_NODES", 5)
    centre = take(Kind.PHONE, phone(0), "notice:8:0")
    for n in range(1, 10):
        take(Kind.CARD, card(n), "notice:8:0")
    network = networks.network_of(persona("regional_prosecutor"), fresh(centre))
    assert len(network.nodes) == 5 and network.capped


def test_a_node_shows_its_districts_reports_and_amounts(persona):
    centre = take(Kind.PHONE, phone(0), "notice:1:1", amount="1500.50")
    take(Kind.CARD, card(1), "notice:1:1", kato=TEMIR, amount="20000")
    take(Kind.CARD, card(1), "notice:1:2", kato=ALGA, amount="5000")
    network = networks.network_of(persona("regional_prosecutor"), fresh(centre))
    card_node = network.nodes[1]
    assert card_node.amount == Decimal("25000") and len(card_node.districts) == 2
    assert network.nodes[0].amount == Decimal("1500.50")


# --- Scoping -------------------------------------------------------------------------------------


def test_a_district_prosecutor_sees_only_the_districts_nodes_and_sightings(persona):
    centre = take(Kind.PHONE, phone(0), "notice:1:1", amount="100")
    take(Kind.PHONE, phone(0), "notice:1:2", kato=TEMIR, amount="900")
    near = take(Kind.CARD, card(1), "notice:1:1")
    far = take(Kind.CARD, card(2), "notice:1:2", kato=TEMIR)
    network = networks.network_of(persona("alga_prosecutor"), fresh(centre))
    assert [node.indicator.pk for node in network.nodes] == [centre.pk, near.pk]
    assert network.outside == 1 and network.nodes[0].amount == Decimal("100")
    everything = networks.network_of(persona("regional_prosecutor"), fresh(centre))
    assert {node.indicator.pk for node in everything.nodes} == {centre.pk, near.pk, far.pk}


def test_the_police_never_see_an_iin_node(persona, login):
    account_ = take(Kind.IBAN, account(1), "notice:5:1")
    take(Kind.IIN, IIN, "notice:5:1")
    take(Kind.CARD, card(1), "notice:5:1")
    network = networks.network_of(persona("alga_officer"), fresh(account_))
    assert {node.indicator.kind for node in network.nodes} == {Kind.IBAN, Kind.CARD} and network.hidden == 1
    page = login("alga_officer").get(reverse("registry:indicator", args=[account_.pk])).content.decode()
    assert "IIN" not in page.replace("csrfmiddlewaretoken", "") and "1 hidden" in page


@pytest.mark.parametrize("username", ["bank_partner", "citizen", "board_secretary"])
def test_partners_other_bodies_and_citizens_read_no_network(persona, login, username):
    centre = take(Kind.PHONE, phone(0), "notice:1:1")
    take(Kind.CARD, card(1), "notice:1:1")
    client = login(username)
    assert client.get(reverse("registry:indicator", args=[centre.pk]) + "?depth=3").status_code in (403, 404)
    assert client.get(reverse("registry:networks")).status_code in (403, 404)


# --- The pages -----------------------------------------------------------------------------------


def test_the_indicators_page_draws_its_network_and_its_table(login):
    centre = take(Kind.PHONE, phone(0), "notice:1:1", amount="1000")
    cards = [take(Kind.CARD, card(n), "notice:1:1") for n in range(1, 4)]
    client = login("regional_prosecutor")
    page = client.get(reverse("registry:indicator", args=[centre.pk])).content.decode()
    assert "<svg" in page and page.count('class="network-node') == 4
    assert "<title>" in page and f"{card(1)[:6]}…{card(1)[-4:]}" in page and card(1) not in page
    assert reverse("registry:indicator", args=[cards[0].pk]) in page
    assert "<table" in page and ">1,000<" in page
    partial = client.get(
        reverse("registry:indicator", args=[centre.pk]) + "?depth=1", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<svg" in partial and "<html" not in partial
    refused = client.get(reverse("registry:indicator", args=[centre.pk]) + "?depth=9").content.decode()
    assert "from 1 to 4" in refused


def test_the_largest_networks_of_a_period_are_ranked(login, persona):
    ring = take(Kind.PHONE, phone(0), "notice:1:0", amount="1000")
    districts = [ALGA, TEMIR, "153400000", "153600000"]  # Alga, Temir, Aiteke Bi, Baiganin
    for n in range(1, 6):
        take(Kind.CARD, card(n), "notice:1:0", kato=districts[n % 4], amount="2000")
    pair = take(Kind.PHONE, phone(1), "notice:2:0")
    take(Kind.CARD, card(9), "notice:2:0")
    take(Kind.PHONE, phone(5), "notice:3:0", at=timezone.make_aware(datetime(2024, 3, 1)))
    take(Kind.CARD, card(8), "notice:3:0", at=timezone.make_aware(datetime(2024, 3, 1)))
    user = persona("regional_prosecutor")
    rows = networks.ranked_rows(user, networks.networks_ranked(user, date(2025, 1, 1), date(2025, 12, 31)))
    assert [row.indicators for row in rows] == [6, 2]
    assert rows[0].central.pk == ring.pk and rows[0].money == 5 and rows[0].amount == Decimal("11000")
    assert rows[0].districts == 4 and rows[0].stands_out and not rows[1].stands_out
    assert rows[1].central.pk in {
        pair.pk,
        Indicator.objects.get(kind=Kind.CARD, links=1, network=fresh(pair).network).pk,
    }
    client = login("regional_prosecutor")
    page = client.get(reverse("registry:networks"), {"start": "2025-01-01", "end": "2025-12-31"}).content.decode()
    assert reverse("registry:indicator", args=[ring.pk]) in page and "4 districts" in page
    assert page.index(reverse("registry:indicator", args=[ring.pk])) < page.index(
        reverse("registry:indicator", args=[rows[1].central.pk])
    )
    assert reverse("registry:networks") in client.get(reverse("registry:home")).content.decode()
    earlier = client.get(reverse("registry:networks"), {"start": "2024-01-01", "end": "2024-12-31"}).content.decode()
    assert reverse("registry:indicator", args=[ring.pk]) not in earlier
    wrong = client.get(reverse("registry:networks"), {"start": "2025-12-31", "end": "2025-01-01"})
    assert wrong.status_code == 400 and "The start of the period is after its end." in wrong.content.decode()
    bad = client.get(reverse("registry:networks"), {"start": "2025-13-45", "end": "2025-01-01"})
    assert bad.status_code == 400 and "Enter a valid date." in bad.content.decode()


def test_a_district_prosecutor_ranks_only_the_districts_sightings(persona):
    take(Kind.PHONE, phone(0), "notice:1:0")
    take(Kind.CARD, card(1), "notice:1:0")
    take(Kind.PHONE, phone(2), "notice:2:0", kato=TEMIR)
    take(Kind.CARD, card(2), "notice:2:0", kato=TEMIR)
    user = persona("alga_prosecutor")
    rows = networks.ranked_rows(user, networks.networks_ranked(user, date(2025, 1, 1), date(2025, 12, 31)))
    assert len(rows) == 1 and rows[0].districts == 1
    police = persona("alga_officer")
    assert len(networks.networks_ranked(police, date(2025, 1, 1), date(2025, 12, 31))) == 1


def many_networks():
    """Networks of 2 to 7 cards around a phone, some seen mostly before 2025 (large components
    with few indicators in the period), some seen in Temir too, amounts or none: ties and bounds."""
    for ring in range(1, 9):
        size = 1 + ring % 6
        earlier = ring % 3 == 0
        for n in range(size):
            at = timezone.make_aware(datetime(2024, 5, 1)) if earlier and n > 0 else AT
            kato = TEMIR if ring % 2 and n % 2 else ALGA
            take(Kind.PHONE, phone(ring), f"notice:{ring}:{n}", kato=kato, at=at)
            take(
                Kind.CARD, card(ring * 10 + n), f"notice:{ring}:{n}", kato=kato, at=at, amount=ring * 100 if n else None
            )


@pytest.mark.parametrize("username", ["regional_prosecutor", "alga_prosecutor", "alga_officer"])
def test_the_ranking_read_from_the_largest_components_is_the_one_group_by_gives(persona, monkeypatch, username):
    many_networks()
    user = persona(username)
    period = (date(2025, 1, 1), date(2025, 12, 31))
    monkeypatch.setattr(networks, "FIRST_CANDIDATES", 1)  # one component a batch at first: many stops
    pruned = [networks.networks_ranked(user, *period, first=first, count=3) for first in range(0, 9, 3)]
    monkeypatch.setattr(networks, "MAX_CANDIDATES", 0)  # no component read alone: the one GROUP BY
    whole = networks.networks_ranked(user, *period, count=100)
    assert [row for rows in pruned for row in rows] == whole[:9]
    assert len(whole) >= 4 and [row["indicators"] for row in whole] == sorted(
        (row["indicators"] for row in whole), reverse=True
    )
    outside = 0 if username == "regional_prosecutor" else 1  # Temir's sightings are not Alga's
    assert all(row["district_count"] <= 2 - outside for row in whole)


def test_the_police_rank_a_network_without_its_iin(persona):
    take(Kind.PHONE, phone(0), "notice:5:1")
    take(Kind.IIN, IIN, "notice:5:1")
    take(Kind.CARD, card(1), "notice:5:1")
    period = (date(2025, 1, 1), date(2025, 12, 31))
    assert [row["indicators"] for row in networks.networks_ranked(persona("alga_prosecutor"), *period)] == [3]
    [row] = networks.networks_ranked(persona("alga_officer"), *period)
    assert row["indicators"] == 2 and row["money"] == 1


def test_the_list_pages_on_without_counting_the_networks(login, monkeypatch):
    from registry.views import networks as views

    many_networks()
    monkeypatch.setattr(views, "PER_PAGE", 2)
    client = login("regional_prosecutor")
    period = {"start": "2025-01-01", "end": "2025-12-31"}
    first = client.get(reverse("registry:networks"), period).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first and "Page 1<" in first
    second = client.get(reverse("registry:networks"), {**period, "page": "2"}).content.decode()
    assert 'rel="prev"' in second and "Page 2<" in second
    past = client.get(reverse("registry:networks"), {**period, "page": "40"}).content.decode()
    assert 'rel="next"' not in past and 'rel="prev"' in past and "No network of two values or more" in past
    assert client.get(reverse("registry:networks"), {**period, "page": "x"}).status_code == 200


def test_the_list_and_the_indicators_network_take_a_bounded_number_of_statements(login, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    many_networks()
    rows = networks.networks_ranked(persona("regional_prosecutor"), date(2025, 1, 1), date(2025, 12, 31))
    client = login("regional_prosecutor")
    period = {"start": "2025-01-01", "end": "2025-12-31"}
    with CaptureQueriesContext(connection) as listed:
        assert client.get(reverse("registry:networks"), period).status_code == 200
    # The session and the user, a batch of components and its GROUP BY, a central indicator a row.
    assert len(listed) <= 12 + len(rows), [query["sql"][:120] for query in listed]
    centre = Indicator.objects.get(kind=Kind.PHONE, value=normalize(Kind.PHONE, phone(5)).value)
    # The session, the user, the indicator, its sightings and history; the network: a query of the
    # links and one of the new nodes a step, the nodes' sightings, their districts' names.
    with CaptureQueriesContext(connection) as drawn:
        page = client.get(reverse("registry:indicator", args=[centre.pk]) + "?depth=2")
    assert page.status_code == 200, page.get("Location")
    assert page.content.decode().count('class="network-node') == 7
    assert len(drawn) <= 15, [query["sql"][:120] for query in drawn]


# --- The demo ------------------------------------------------------------------------------------


def test_the_demo_links_its_sightings_and_its_dropper_ring_leads_2025(persona):
    from io import StringIO

    from django.core.management.base import BaseCommand

    from accounts.models import Region
    from registry.demo.indicators import create_demo_indicators
    from registry.demo.networks import RING_PHONE, create_demo_networks
    from signals.demo.builder import bulk_build_reports

    region = Region.objects.get()
    bulk_build_reports(region=region, count=300, start=date(2025, 1, 1), end=date(2025, 10, 31))
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    create_demo_indicators(command)
    create_demo_networks(command)
    assert "a dropper ring of 15 cards" in command.stdout.getvalue()
    shared = Sighting.objects.exclude(context="").values("context").annotate(n=Count("indicator", distinct=True))
    assert IndicatorLink.objects.exists() or not shared.filter(n__gt=1).exists()
    assert not Sighting.objects.exclude(context="").filter(linked_at__isnull=True, unlinked_at__isnull=True).exists()
    ring = Indicator.objects.get(kind=Kind.PHONE, value=RING_PHONE)
    assert ring.links == 15
    assert_sizes_kept()
    user = persona("regional_prosecutor")
    top = networks.ranked_rows(user, networks.networks_ranked(user, date(2025, 1, 1), date(2025, 12, 31))[:3])
    ranked = [row for row in top if row.central and row.central.pk == ring.pk]
    assert ranked and ranked[0].money == 15 and ranked[0].districts == 4 and ranked[0].amount > 0
    links = IndicatorLink.objects.count()
    create_demo_networks(command)  # again: nothing doubles
    assert IndicatorLink.objects.count() == links and Indicator.objects.get(pk=ring.pk).links == 15
