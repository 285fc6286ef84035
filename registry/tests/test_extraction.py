"""The indicators a citizen's text names, false friends left out (registry.extraction). The corpus
grows with the issue's 300 messages; each line: the text, then what it names."""

import pytest
from stdnum import luhn

from registry.extraction import extract
from registry.tests import corpus

CARD = "440043012345678" + luhn.calc_check_digit("440043012345678")
SPACED_CARD = " ".join(CARD[i : i + 4] for i in range(0, 16, 4))

CORPUS = [
    # ru
    (
        f"Мне звонили с номера 8 705 123 45 67 и просили перевести 50 000 тг на карту {SPACED_CARD} до 12.03.2025",
        {("phone", "+77051234567"), ("card", CARD)},
    ),
    (
        "Закладки продают в телеграм @Shop_KZ и на сайте https://shop-zakladki.kz/catalog?x=1. Заявка AKT-2025-000123.",
        {("telegram", "@shop_kz"), ("website", "shop-zakladki.kz/catalog")},
    ),
    (
        "Счёт KZ88 6010 0000 1234 5678, ИИН 880101300010, звоните +7 916 123-45-67.",
        {("iban", "KZ886010000012345678"), ("iin", "880101300010"), ("phone", "+79161234567")},
    ),
    (
        "Ссылка t.me/Zakladki_Bot, ещё www.Пример.рф/Shop, сумма 1 500 000 тенге",
        {("telegram", "@zakladki_bot"), ("website", "www.xn--e1afmkfd.xn--p1ai/Shop")},
    ),
    ("Оплата 150 000 000 тенге, 150000000 тг; дата 04.03.2025 14:30; курс 1.234567890", set()),
    ("Звоните 87051234567! или (705) 123-45-67", {("phone", "+77051234567")}),
    ("Карта 4400 4301 2345 6780 не проходит проверку", set()),  # fails Luhn
    ("ИИН 880101300011 с ошибкой", set()),  # fails its check digit
    ("Пишите на почту shop@mail.ru", set()),  # an e-mail address is no site
    # kk
    (
        "Маған 8 (705) 123 45 67 нөмірінен қоңырау шалып, KZ88-6010-0000-1234-5678 шотына ақша аударуды сұрады.",
        {("phone", "+77051234567"), ("iban", "KZ886010000012345678")},
    ),
    ("Есірткі сататын арна: https://t.me/Darik_Aktobe, бағасы 15 000 теңге.", {("telegram", "@darik_aktobe")}),
    ("Өтініш нөмірі AKT-2025-000777, күні 01.10.2025.", set()),
    # en
    ("They called from +7 701 765 43 21 and sent a link bit.ly/3xYz.", {("phone", "+77017654321")}),
    ("Order 123456789 paid 25000 KZT on 2025-03-04 at 14:30.", set()),
]


@pytest.mark.parametrize("text, expected", CORPUS)
def test_it_finds_what_the_text_names_and_leaves_out_the_false_friends(text, expected):
    assert {(indicator.kind, indicator.value) for indicator in extract(text)} == expected


def test_it_gives_each_value_once_in_the_order_it_appears():
    found = extract("@shop_kz, t.me/SHOP_KZ; 8 705 123 45 67 и +77051234567")
    assert [(indicator.kind, indicator.value) for indicator in found] == [
        ("telegram", "@shop_kz"),
        ("phone", "+77051234567"),
    ]


@pytest.mark.parametrize("text, expected", corpus.CORPUS, ids=[f"corpus-{n}" for n in range(len(corpus.CORPUS))])
def test_it_reads_the_reports_corpus_by_the_specification(text, expected):
    assert {(indicator.kind, indicator.value) for indicator in extract(text)} == expected, text


def test_its_precision_and_recall_over_the_reports_corpus_are_whole():
    true_positives = false_positives = false_negatives = 0
    for text, expected in corpus.CORPUS:
        found = {(indicator.kind, indicator.value) for indicator in extract(text)}
        true_positives += len(found & expected)
        false_positives += len(found - expected)
        false_negatives += len(expected - found)
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)
    assert (precision, recall) == (1.0, 1.0)


def test_it_finds_a_crypto_wallet_in_a_text_and_not_a_broken_one():
    text = (
        "Просили перевести USDT на кошелёк TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t (TRC-20), "
        "а биткоины на bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4; адрес 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb неверный."
    )
    assert {(found.kind, found.value) for found in extract(text)} == {
        ("crypto", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
        ("crypto", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
    }
