"""Personal data in a text meant for publication (a highlight's, supervision.highlights): an IIN
(twelve digits, spaced or not), a phone number (phonenumbers' matcher, as lib.identifiers reads
phones: Kazakhstan's numbers without a country code), and, when asked (the record concerns a
minor), anything that looks like a person's name (`_name_findings`: a heuristic,
docs/supervision.md says how far it goes). Placeholders (`{damage}`) are skipped: they are the
record's numbers, filled in when the text is read."""

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District, Region
from lib.identifiers import DEFAULT_PHONE_REGION

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": gettext_lazy("Kazakh"), "ru": gettext_lazy("Russian"), "en": gettext_lazy("English")}
# A placeholder as written: a name in braces, spaces inside allowed ("{ damage }").
PLACEHOLDER = re.compile(r"\{\s*([^{}\s]*)\s*\}")


def language_name(language: str) -> str:
    return str(LANGUAGE_NAMES.get(language, language))


class Found:
    IIN = "iin"
    PHONE = "phone"
    NAME = "name"


@dataclass(frozen=True)
class Finding:
    language: str
    kind: str  # Found
    found: str

    @property
    def masked(self) -> str:
        """What was found, shown with its middle hidden: the refusal is kept in the highlight's
        events, which never change, so it may not keep the IIN, phone or name it refused."""
        text = self.found.strip()
        if len(text) <= 3:
            return text[:1] + "…"
        keep = 2 if self.kind == Found.NAME else 4
        return f"{text[:keep]}…{text[-2:]}"

    def message(self, *, masked: bool = True) -> str:
        shown = self.masked if masked else self.found
        named = {"language": language_name(self.language), "found": shown}
        if self.kind == Found.IIN:
            return _("The %(language)s text holds what looks like an IIN (“%(found)s”).") % named
        if self.kind == Found.PHONE:
            return _("The %(language)s text holds a phone number (“%(found)s”).") % named
        return _("The %(language)s text seems to name a person (“%(found)s”).") % named


# Twelve digits, each pair separated at most by one space, hyphen or no-break space.
IIN = re.compile(r"(?<![\d])\d(?:[ \u00a0\u202f-]?\d){11}(?![\d])")

UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
LOWER = "a-zа-яёәғқңөұүһі"
WORD = re.compile(rf"[{UPPER}{LOWER}][{UPPER}{LOWER}'’-]*")
# "Иванов И.И.", "Иванов И. И.", "Smith J." and "И.И. Иванов", "A.B. Smith".
INITIALS_AFTER = re.compile(rf"\b[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?\s+[{UPPER}]\.\s?(?:[{UPPER}]\.)?")
INITIALS_BEFORE = re.compile(rf"(?<![{UPPER}{LOWER}])[{UPPER}]\.\s?(?:[{UPPER}]\.\s?)?[{UPPER}][{LOWER}]+")
# Patronymics (Russian, and Kazakh "-ұлы", "-қызы", also written apart) and their transliterations.
PATRONYMIC = re.compile(
    rf"\b[{UPPER}][{LOWER}]+(?:ович|евич|овна|евна|ична|улы|ұлы|кызы|қызы|ovich|evich|ovna|evna|uly|kyzy|qyzy)\b"
    rf"|\b[{UPPER}][{LOWER}]+\s+(?:улы|ұлы|кызы|қызы|uly|kyzy|qyzy)\b"
)
# Surnames' endings after a capital letter (Russian and Kazakh, and their transliterations).
SURNAME = re.compile(
    rf"\b[{UPPER}][{LOWER}]+(?:ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|енко"
    rf"|ov|ova|ev|eva|in|ina|yn|yna|sky|skiy|skaya|enko)\b"
)
ADJECTIVE_ENDINGS = ("ский", "ская", "цкий", "цкая", "sky", "skiy", "skaya")
# Words a capitalised surname-like word is not a name before: "Байганинский район", "Западная
# область" (adjectives of places and bodies; a surname is followed by a capital or a verb).
PLACE_NOUNS = frozenset(
    [
        "район",
        "района",
        "районе",
        "районом",
        "области",
        "область",
        "областью",
        "город",
        "города",
        "городе",
        "суд",
        "суда",
        "суде",
        "округ",
        "округа",
        "прокуратура",
        "прокуратуры",
        "прокуратурой",
        "акимат",
        "акимата",
        "ауданы",
        "аудан",
        "облысы",
        "облыс",
        "қаласы",
        "district",
        "region",
        "city",
        "court",
    ]
)
# Dictionary tags of people's names (pymorphy3's OpenCorpora tags).
NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


@cache
def _morph():
    import pymorphy3  # the dictionary loads once, when a text is first checked

    return pymorphy3.MorphAnalyzer()


def _known_words(region_id: int | None) -> frozenset[str]:
    """The words of the region's names, its districts' and their centres' in every language
    (Байганинский, Алга, Mugalzhar...): place names are not persons'."""
    words: set[str] = set()
    regions = Region.objects.filter(pk=region_id) if region_id else Region.objects.none()
    districts = District.objects.filter(region_id=region_id) if region_id else District.objects.none()
    fields = [f"{name}_{language}" for name in ("name",) for language in LANGUAGES]
    centre_fields = [f"centre_{language}" for language in LANGUAGES]
    for values in regions.values_list(*fields):
        words.update(word.casefold() for value in values for word in WORD.findall(value or ""))
    for values in districts.values_list(*fields, *centre_fields):
        words.update(word.casefold() for value in values for word in WORD.findall(value or ""))
    return frozenset(words)


def _is_place(word: str, known: frozenset[str]) -> bool:
    folded = word.casefold()
    if folded in known:
        return True
    if re.search("[а-яё]", folded):
        return any(parse.normal_form in known for parse in _morph().parse(folded)[:3])
    return False


def _common_word(word: str) -> bool:
    """Whether the Russian dictionary knows the word and reads it first as no name ("Магазин",
    "Один"): a surname's ending alone does not make it one."""
    if not re.search("[а-яё]", word.casefold()):
        return False
    parse = _morph().parse(word)[0]
    return parse.is_known and not set(str(parse.tag).replace(" ", ",").split(",")) & NAME_TAGS


def _dictionary_name(word: str, language: str) -> bool:
    """Whether the Russian dictionary (pymorphy3) reads the word first as a first name, a surname
    or a patronymic and not as a place. Kazakh texts: only words the dictionary knows (it guesses
    unknown Cyrillic words by their ending, which Kazakh words do not follow); English: never."""
    if language == "en" or not re.search("[а-яё]", word.casefold()):
        return False
    parse = _morph().parse(word)[0]
    if language == "kk" and not parse.is_known:
        return False
    tags = set(str(parse.tag).replace(" ", ",").split(","))
    return bool(tags & NAME_TAGS) and "Geox" not in tags


def _name_findings(text: str, language: str, known: frozenset[str]) -> list[str]:
    """The words of `text` that look like a person's name (docs/supervision.md: the heuristic and
    its limits): a capitalised word with initials, a patronymic, a surname's ending after a
    capital letter (not an adjective before a place's or a body's noun), or a word the Russian
    dictionary reads as a name; place names of the region are not names."""
    plain = PLACEHOLDER.sub(" ", text)
    found: list[str] = []
    for pattern in (INITIALS_AFTER, INITIALS_BEFORE, PATRONYMIC):
        found += [match.group(0).strip() for match in pattern.finditer(plain)]
    for match in SURNAME.finditer(plain):
        word = match.group(0)
        if _is_place(word, known) or _common_word(word):
            continue
        following = WORD.match(plain[match.end() :].lstrip())
        if word.casefold().endswith(ADJECTIVE_ENDINGS) and following and following.group(0)[0].islower():
            continue
        if following and following.group(0).casefold() in PLACE_NOUNS:
            continue
        found.append(word)
    for match in WORD.finditer(plain):
        word = match.group(0)
        if word[0].isupper() and not word.isupper() and not _is_place(word, known):
            following = WORD.match(plain[match.end() :].lstrip())
            if following and following.group(0).casefold() in PLACE_NOUNS:
                continue
            if _dictionary_name(word, language):
                found.append(word)
    return list(dict.fromkeys(found))


def _phones(text: str) -> list[str]:
    return [match.raw_string for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_PHONE_REGION)]


def personal_data(texts: dict[str, str], *, names: bool, region_id: int | None = None) -> list[Finding]:
    """What must not be published in the texts (language -> text): IINs and phone numbers always,
    persons' names when `names` (the record concerns a minor); in each language's order."""
    findings = []
    known = _known_words(region_id) if names or region_id else frozenset()
    for language in LANGUAGES:
        text = PLACEHOLDER.sub(" ", texts.get(language) or "")
        iins = [match.group(0) for match in IIN.finditer(text)]
        findings += [Finding(language, Found.IIN, iin) for iin in iins]
        findings += [Finding(language, Found.PHONE, phone) for phone in _phones(IIN.sub(" ", text))]
        findings += [Finding(language, Found.NAME, word) for word in _name_findings(text, language, known)]
    if not names:
        findings = [finding for finding in findings if finding.kind != Found.NAME]
    return findings


def name_warnings(texts: dict[str, str], *, region_id: int | None = None) -> list[Finding]:
    """Words that look like a person's name in a highlight whose record concerns no minor: shown
    before approval, never refused (docs/supervision.md)."""
    known = _known_words(region_id)
    return [
        Finding(language, Found.NAME, word)
        for language in LANGUAGES
        for word in _name_findings(texts.get(language) or "", language, known)
    ]
