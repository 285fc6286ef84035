"""The checks of the server Tartip runs on."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from lib import checks
from lib.spreadsheets import unsafe_xml_parser


def test_an_expat_expanding_entities_without_limit_is_unsafe():
    assert unsafe_xml_parser((2, 4, 0))
    assert not unsafe_xml_parser((2, 4, 1))
    assert not unsafe_xml_parser()  # this machine's


def test_django_refuses_to_start_on_an_unsafe_parser(monkeypatch):
    call_command("check")  # this machine's expat passes
    monkeypatch.setattr(checks, "unsafe_xml_parser", lambda: True)
    with pytest.raises(SystemCheckError, match="lib.E001"):
        call_command("check")
