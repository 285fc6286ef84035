"""Every kind of indicator written every way comes to one normal form; a value failing its kind's
rules is refused with the reason (registry.indicators)."""

import pytest
from django.utils import translation
from stdnum import luhn

from registry.indicators import InvalidIndicator, Kind, normalize, recognize

CARD = "440043012345678"  # 15 digits; its Luhn digit is added below
CARD += luhn.calc_check_digit(CARD)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "raw", ["KZ86125KZT5004100100", "kz86 125k zt50 0410 0100", "KZ86-125K-ZT50-0410-0100", " KZ86125KZT5004100100 "]
)
def test_it_reads_a_kazakh_iban_written_any_way_with_its_bank(raw):
    iban = normalize(Kind.IBAN, raw)
    assert iban.value == "KZ86125KZT5004100100"
    assert iban.details == {"country": "KZ", "bank_code": "125", "bic": "NBRKKZKX"}


def test_it_refuses_an_iban_failing_its_check_digits():
    with pytest.raises(InvalidIndicator, match="check digits"):
        normalize(Kind.IBAN, "KZ87125KZT5004100100")


@pytest.mark.parametrize(
    "raw", [CARD, f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", "-".join([CARD[:8], CARD[8:]])]
)
def test_it_reads_a_card_with_spaces_or_dashes_and_shows_its_bin_and_last_four(raw):
    card = normalize(Kind.CARD, raw)
    assert card.value == CARD and card.shown == f"{CARD[:6]}…{CARD[-4:]}" and card.details == {"bin": CARD[:6]}


def test_it_refuses_a_card_failing_luhn_or_of_the_wrong_length():
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    with pytest.raises(InvalidIndicator, match="Luhn"):
        normalize(Kind.CARD, wrong)
    with pytest.raises(InvalidIndicator, match="13 to 19"):
        normalize(Kind.CARD, "4400 4301")


@pytest.mark.parametrize(
    "raw, e164, country",
    [
        ("8 705 123 45 67", "+77051234567", "KZ"),
        ("+7 (705) 123-45-67", "+77051234567", "KZ"),
        ("87051234567", "+77051234567", "KZ"),
        ("7051234567", "+77051234567", "KZ"),
        ("+7 727 250 12 34", "+77272501234", "KZ"),  # Almaty's landline
        ("+7 916 123-45-67", "+79161234567", "RU"),  # Moscow's mobile, the same +7
        ("8 (495) 123-45-67", "+74951234567", "RU"),
        ("+998 90 123 45 67", "+998901234567", "UZ"),
    ],
)
def test_it_writes_a_phone_as_e164_and_tells_kazakhstan_from_russia(raw, e164, country):
    phone = normalize(Kind.PHONE, raw)
    assert (phone.value, phone.details["country"]) == (e164, country)


def test_it_refuses_a_phone_outside_the_numbering_plan():
    with pytest.raises(InvalidIndicator, match="numbering plan"):
        normalize(Kind.PHONE, "+7 000 000 00 00")
    with pytest.raises(InvalidIndicator):
        normalize(Kind.PHONE, "not a phone")


@pytest.mark.parametrize(
    "raw", ["@Shop_KZ", "shop_kz", "t.me/shop_kz", "T.ME/Shop_KZ", "https://t.me/Shop_KZ/", "telegram.me/SHOP_KZ"]
)
def test_it_takes_every_way_of_writing_a_telegram_name_as_one(raw):
    assert normalize(Kind.TELEGRAM, raw).value == "@shop_kz"
    assert recognize(raw if raw != "shop_kz" else "@shop_kz").value == "@shop_kz"


def test_it_marks_a_telegram_bot_and_refuses_a_name_telegram_does_not_allow():
    assert normalize(Kind.TELEGRAM, "@Zakladki_Bot").details == {"bot": True}
    with pytest.raises(InvalidIndicator, match="5 to 32"):
        normalize(Kind.TELEGRAM, "@abc")
    with pytest.raises(InvalidIndicator):
        normalize(Kind.TELEGRAM, "@1shop")


@pytest.mark.parametrize(
    "raw, value",
    [
        ("https://Shop.Example.KZ/", "shop.example.kz"),
        ("shop.example.kz", "shop.example.kz"),
        ("http://shop.example.kz/Catalog/Item-1?utm=x#top", "shop.example.kz/Catalog/Item-1"),
        ("https://www.Пример.рф/Shop/", "www.xn--e1afmkfd.xn--p1ai/Shop"),
        ("t.me/+AbCdEf123", "t.me/+AbCdEf123"),  # an invite: a link, its case kept
    ],
)
def test_it_writes_a_website_as_its_lower_cased_host_in_punycode_and_its_path(raw, value):
    assert normalize(Kind.WEBSITE, raw).value == value


def test_it_refuses_a_site_without_a_domain():
    with pytest.raises(InvalidIndicator, match="domain"):
        normalize(Kind.WEBSITE, "localhost")


def test_it_writes_a_messenger_handle_and_a_wallet_id_in_one_form():
    assert normalize(Kind.MESSENGER, "Instagram: @Shop.KZ").value == "instagram:shop.kz"
    with pytest.raises(InvalidIndicator, match="network:handle"):
        normalize(Kind.MESSENGER, "myspace:shop")
    assert normalize(Kind.WALLET, "KASPI 1234 5678").value == "kaspi12345678"


# Twelve digits whose last is the check digit (weights 1..11; 3..11, 1, 2 when the first sum leaves 10).
IIN = "880101300010"  # born 1 January 1988, a man of the 20th century
BIN = "040540001230"  # registered in May 2004, a legal entity (fifth digit 4)


def test_it_reads_an_iin_and_a_bin_by_their_check_digit_date_and_kind():
    assert normalize(Kind.IIN, "880101 300010").value == IIN
    assert normalize(Kind.IIN, IIN).shown == "88…10"
    assert normalize(Kind.BIN, BIN).value == BIN
    for position in (
        0,
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        11,
    ):  # (the eleventh digit weighs 11: a change there keeps the first sum)
        digit = str((int(IIN[position]) + 1) % 10)
        with pytest.raises(InvalidIndicator):
            normalize(Kind.IIN, IIN[:position] + digit + IIN[position + 1 :])
    with pytest.raises(InvalidIndicator, match="not an IIN"):
        normalize(Kind.IIN, BIN)
    with pytest.raises(InvalidIndicator, match="not a BIN"):
        normalize(Kind.BIN, IIN)


def test_it_recognizes_a_value_typed_without_its_kind():
    assert recognize("8 705 123 45 67").kind == Kind.PHONE
    assert recognize("KZ86 125K ZT50 0410 0100").kind == Kind.IBAN
    assert recognize(CARD).kind == Kind.CARD
    assert recognize(BIN).kind == Kind.BIN and recognize(IIN).kind == Kind.IIN
    assert recognize("T.ME/Shop_KZ").value == "@shop_kz"
    assert recognize("shop.example.kz/page").kind == Kind.WEBSITE
    assert recognize("just words") is None


def test_it_says_why_in_the_readers_language():
    with translation.override("ru"), pytest.raises(InvalidIndicator) as refused:
        normalize(Kind.CARD, "4400 4301")
    assert str(refused.value) != "A card number has 13 to 19 digits."


# Published test vectors: Bitcoin's first address, BIP-173's bech32 example, EIP-55's, Tron's USDT.
BITCOIN, SEGWIT = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
ETHEREUM, TRON = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"


@pytest.mark.parametrize(
    "raw, value, network",
    [
        (BITCOIN, BITCOIN, "bitcoin"),
        (SEGWIT.upper(), SEGWIT, "bitcoin"),
        (ETHEREUM, ETHEREUM.lower(), "ethereum"),
        (ETHEREUM.lower(), ETHEREUM.lower(), "ethereum"),  # all lower case: no checksum to check
        (TRON, TRON, "tron"),
    ],
)
def test_it_reads_a_crypto_wallet_by_its_networks_checksum(raw, value, network):
    wallet = normalize(Kind.CRYPTO, raw)
    assert (wallet.value, wallet.details["network"]) == (value, network)
    assert recognize(raw).kind == Kind.CRYPTO


def test_it_refuses_a_crypto_address_failing_its_checksum():
    for wrong in (BITCOIN[:-1] + "b", ETHEREUM.replace("aA", "Aa", 1), TRON[:-1] + "u", SEGWIT[:-1] + "5"):
        with pytest.raises(InvalidIndicator, match="crypto wallet"):
            normalize(Kind.CRYPTO, wrong)
