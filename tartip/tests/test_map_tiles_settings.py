"""MAP_TILES_URL: read from the environment, checked, and let into the Content-Security-Policy's
img-src (and only there) when set. The settings are loaded in a fresh interpreter, as a process
started with that environment would load them."""

import json
import os
import subprocess
import sys

import pytest

from tartip.env import BadSetting, env_tile_url

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.MAP_TILES_URL, s.MAP_TILES_ATTRIBUTION, s.CONTENT_SECURITY_POLICY['DIRECTIVES']]))"
)


def settings_with(**variables) -> tuple[str, str, dict]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MAP_TILES_")}
    environment.update(variables, DJANGO_SETTINGS_MODULE="tartip.settings")
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], env=environment, capture_output=True, text=True, check=True
    )
    return tuple(json.loads(result.stdout.strip().splitlines()[-1]))


def test_it_configures_no_tiles_by_default():
    url, attribution, directives = settings_with()
    assert (url, attribution) == ("", "")
    assert directives["img-src"] == ["'self'", "data:", "blob:"]


def test_it_lets_images_come_from_the_configured_tile_server_only():
    url, attribution, directives = settings_with(
        MAP_TILES_URL="https://{s}.tiles.example.kz/osm/{z}/{x}/{y}.png", MAP_TILES_ATTRIBUTION="© OpenStreetMap"
    )
    assert url == "https://{s}.tiles.example.kz/osm/{z}/{x}/{y}.png" and attribution == "© OpenStreetMap"
    assert directives["img-src"][-1] == "https://*.tiles.example.kz"
    assert "tiles.example.kz" not in json.dumps({k: v for k, v in directives.items() if k != "img-src"})


@pytest.mark.parametrize(
    "value", ["ftp://tiles.example.kz/{z}/{x}/{y}.png", "https://tiles.example.kz/tiles.png", "https:///{z}/{x}/{y}"]
)
def test_it_refuses_a_tile_url_that_is_not_a_template(monkeypatch, value):
    monkeypatch.setenv("MAP_TILES_URL", value)
    with pytest.raises(BadSetting, match="MAP_TILES_URL"):
        env_tile_url("MAP_TILES_URL")
