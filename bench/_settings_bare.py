"""Benchmark only: the production settings with a URLconf holding the bare insert endpoint
(bench/_bare_urls.py). Never used by Tartip itself: bench/intake.py starts a second server with
DJANGO_SETTINGS_MODULE=bench._settings_bare to measure the ceiling."""

from tartip.settings import *  # noqa: F403

ROOT_URLCONF = "bench._bare_urls"
