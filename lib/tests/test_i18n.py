"""The one fallback of texts kept in three languages (lib.i18n)."""

from types import SimpleNamespace

from django.utils import translation

from lib.i18n import localized


def test_it_reads_the_readers_language_first_then_russian_kazakh_english():
    row = {"name_kk": "Ауыл", "name_ru": "Село", "name_en": "Village"}
    with translation.override("en"):
        assert localized(row, "name") == "Village"
    with translation.override("kk"):
        assert localized(row, "name") == "Ауыл"
    assert localized({"name_kk": "Ауыл", "name_ru": "", "name_en": ""}, "name", "en") == "Ауыл"
    assert localized({"name_kk": "Ауыл", "name_ru": "Село"}, "name", "en") == "Село"


def test_it_reads_model_instances_and_gives_blank_when_no_language_has_it():
    attribute = SimpleNamespace(description_kk="", description_ru="Номер телефона", description_en="")
    assert localized(attribute, "description", "kk") == "Номер телефона"
    assert localized(SimpleNamespace(), "description", "ru") == ""
    assert localized({}, "name") == ""
