"""What the apps add to the platform, gathered from their AppConfigs (lib.plugins)."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django_tasks.base import Task

from lib import plugins

ROOT = Path(settings.BASE_DIR)
# The project's own apps (not Django's or a library's): those whose code is in this repository.
TARTIP_APPS = [
    config.name
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
]
# Below the others: they name no app above them.
LOWER = {"lib", "accounts"}


def _in_order(seen: list, wanted: list) -> list:
    """The items of `wanted` in the order `seen` has them (other apps' items left out)."""
    return [item for item in seen if item in wanted]


def test_every_tartip_app_is_a_plugin_app():
    # Django takes an apps.py's one AppConfig subclass as the app's: a second one there (such as a
    # base class imported into it) would leave the app with a bare AppConfig declaring nothing.
    assert {"lib", "accounts", "signals", "supervision"} <= set(TARTIP_APPS)
    for name in TARTIP_APPS:
        assert isinstance(apps.get_app_config(name), plugins.PluginApp), name


def test_it_gathers_the_periodic_jobs_in_installed_apps_order():
    jobs = plugins.periodic_jobs()
    wanted = [
        ("worker-heartbeat", 30),
        ("sweep-deadlines", 300),
        ("oversight-digest", 3600),
        ("oversight-statistics", 600),
        ("summary-cells", 300),
    ]
    assert _in_order([(job.name, job.seconds) for job in jobs.values()], wanted) == wanted
    for job in jobs.values():
        assert isinstance(import_string(job.task), Task), job.task


def test_it_runs_the_demo_builders_users_first_then_reports_then_acts():
    wanted = [
        "accounts.demo.create_demo_users",
        "signals.demo.create_demo_reports",
        "supervision.demo.create_demo_acts",
    ]
    assert _in_order([builder.path for builder in plugins.demo_builders()], wanted) == wanted
    for builder in plugins.demo_builders():
        assert callable(import_string(builder.path)), builder.path


def test_every_reference_loader_names_functions_that_exist():
    loaders = plugins.reference_loaders()
    assert "categories" in [loader.name for loader in loaders]
    for loader in loaders:
        for path in filter(None, (loader.load, loader.load_region)):
            assert callable(import_string(path)), path


def test_the_menu_is_in_order_with_one_entry_per_key():
    entries = plugins.navigation()
    assert [entry.order for entry in entries] == sorted(entry.order for entry in entries)
    assert len({entry.key for entry in entries}) == len(entries)


def test_a_declared_home_page_resolves_to_its_view():
    for page in plugins._declared("home_pages"):
        for role in page.roles:
            assert plugins.home_page(role) is not None, role
            assert callable(plugins.home_page_view(role)), role
    assert plugins.home_page("citizen") is None
    assert plugins.home_page_view("citizen") is None


def test_two_apps_may_not_declare_the_same_job(monkeypatch):
    class First(plugins.PluginApp):
        periodic_jobs = (plugins.PeriodicJob("job", "lib.tasks.worker_heartbeat", seconds=30),)

    class Second(plugins.PluginApp):
        periodic_jobs = (plugins.PeriodicJob("job", "lib.tasks.worker_heartbeat", seconds=60),)

    monkeypatch.setattr(apps, "get_app_configs", lambda: [First(), Second()])
    with pytest.raises(ImproperlyConfigured):
        plugins.periodic_jobs()


def _python_files(app: str):
    for path in (ROOT / app).rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path


def _names_an_app(text: str, above: set[str]) -> bool:
    return text.partition(".")[0].partition(":")[0] in above and text not in above


@pytest.mark.parametrize("app", ["accounts", "lib", "tartip"])
def test_the_lower_layers_import_no_app_above_them(app):
    above = set(TARTIP_APPS) - LOWER
    found = []
    for path in _python_files(app):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [f"{path}: {a.name}" for a in node.names if a.name.partition(".")[0] in above]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module.partition(".")[0] in above:
                found.append(f"{path}: {node.module}")
            elif (
                app != "tartip"  # the project's settings and urls list the apps: that is how they are installed
                and isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _names_an_app(node.value, above)
            ):
                found.append(f"{path}: {node.value!r}")
    assert found == []
