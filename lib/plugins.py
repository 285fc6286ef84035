"""What the apps add to the platform: each app declares it in its `apps.py`, the platform gathers it.

An app's AppConfig (`class SignalsConfig(PluginApp, AppConfig)`) lists, as class attributes:

- `navigation`: entries of the menu on every page (`NavEntry`), rendered by
  accounts.context_processors in the order of their `order` key;
- `home_pages`: pages that are the home page of some roles instead of accounts' own (`HomePage`:
  reporting's dashboards), shown by accounts.views.home at / for those roles;
- `demo_builders`: steps of `manage.py demo` (`DemoBuilder`), run in INSTALLED_APPS order (an app
  comes after the apps whose demo data it builds on);
- `reference_loaders`: parts of `manage.py load_reference` (`ReferenceLoader`);
- `periodic_jobs`: tasks `manage.py scheduler` enqueues at an interval (`PeriodicJob`, read by
  lib.scheduling);
- `secret_url_prefixes`: url prefixes whose next path segment is a secret (a tracking token), kept
  out of the logs by lib.log_redaction;
- `report_tasks`: dotted paths of tasks (django_tasks) taking a new offence report's id, enqueued
  with the report when it is submitted (signals' intake): an app's work on every report (the
  registry reads the indicators it names) without signals naming the app.
- `answer_tasks`: dotted paths of tasks taking an answer's id, enqueued on commit whenever a body's
  answer is given, accepted or returned (a report returned after its reporter reopened it counts as
  its last answer returned): an app's work on what bodies answer (the registry marks a graffiti
  destroyed when the answer shows it painted over, and withdraws it when the answer is returned).
- `recategorise_tasks`: dotted paths of tasks taking a report's id, enqueued on commit when a
  prosecutor puts the report in another category (the registry takes a report that became one of
  graffiti in, and drops one that is no longer).

- `metric_groups`: dotted paths of the app's metric groups (lib.metrics.MetricGroup, usually in
  the app's `metrics.py`), which the results summary (reporting) computes;
- `summary_sentences`: dotted paths of tuples of the sentences the summary's text says about the
  app's area (lib.metrics.Sentence), beside its metrics;
- `catalogue_reader`: the dotted path of a function `() -> (list[SubmittedMetric],
  list[Consistency])` (lib.metrics): the catalogue's submitted metrics and their consistency rules,
  declared by the app that keeps the catalogue (reporting) and read by the app that collects the
  submissions (supervision), which may not name it;
- `metric_values`: dotted paths of functions `(source, codes, window) -> cells` giving the values
  the app holds for metrics the summary reads from the districts' submissions or from imports
  (lib.metrics.Source.SUBMITTED, IMPORTED) in a window (lib.metrics.Window), as the summary's cells
  (`{"district": id or None, "keys": {}, "sensitive": False, "values": {code: value}}`).
- `summary_quotes`: dotted paths of functions `(window, language) -> list[dict]` giving the texts
  the summary quotes in an area's section after its sentences, for a window (lib.metrics.Window:
  the region, the districts, the period, the "as of" moment), written in `language`, each as
  `{"area": lib.metrics.Area, "text": str, "link": the url of its page}` (supervision's approved
  highlights).
- `series_reader`: the dotted path of a function `(region_id, codes, start, end, language) ->
  list[dict]`, declared by the app that computes the summary's figures (reporting): each metric of
  `codes` month by month from `start` to `end`, as `{"code", "name", "unit", "points": [{"month":
  date (the month's first day), "value": number or None}]}` (a flow counted over the month, a
  stock as it stood at the month's end). The board's pages show the metrics a directive aims to
  move and a project tracks through it, never naming reporting.
- `summary_reader`: the dotted path of a function `(region_id, start, end, as_of, language) ->
  dict`, declared by reporting: the results summary of the period as of a day, as the text and
  tables a document prints (`{"title", "as_of", "paragraphs": [str], "tables": [{"title", "head":
  [str], "rows": [[str]]}]}`): the board's meeting pack prints it.
- `map_layers`: dotted paths of functions `(window, language) -> dict` giving the points an app puts
  on the results summary's map for a window (lib.metrics.Window: the region, the districts, the
  period, the "as of" moment), labelled in `language`, as `{"key": str, "label": str, "points":
  [{"lat": float, "lon": float, "label": str}]}`: what may be shown to every reader of the summary
  (never a sensitive record, a person or a description; a place coarsened where the app's public
  map coarsens it). signals' reports, supervision's social facilities.

`accounts`, `lib` and the project package read these lists through the functions below, which walk
`django.apps.apps.get_app_configs()` in INSTALLED_APPS order, so they never name an app above them:
adding an app to INSTALLED_APPS plugs in its pages, demo data, reference data and jobs.

The work itself is named by dotted paths, imported only when it runs: an `apps.py` is imported
before any model, so it may not import the modules that do the work. It may import modules without
models, such as accounts.roles for the roles that see an entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.module_loading import import_string

# `record(label, created, changed)`: a reference loader counts each row it wrote (or left as it was).
Recorder = Callable[[str, bool, bool], None]


@dataclass(frozen=True)
class NavEntry:
    """A page in the menu: shown to the roles in `roles` (accounts.roles; "anonymous" for visitors
    who have not logged in), at its place by `order`, and left out while its url does not resolve.

    `order` bands: 0-99 the home page, 100-799 the apps' pages (signals 100s, supervision 200s, the
    apps to come after them), 800-899 the staff's tools of accounts, 900 and up the administration.

    `lands`: the roles whose work starts on this page: they land here after login, and their home
    page leads here (accounts.auth_views.LoginView, accounts.views.home).

    `shown_to`: the dotted path of a `(user) -> bool` the app's policy answers, for an entry some
    users of a role see and others not (the police among the bodies' officers)."""

    key: str
    label: str  # a lazy translation (gettext_lazy)
    url_name: str
    roles: frozenset[str]
    order: int
    lands: frozenset[str] = frozenset()
    shown_to: str = ""

    def shown(self, user) -> bool:
        return not self.shown_to or _predicate(self.shown_to)(user)


@dataclass(frozen=True)
class HomePage:
    """A page that is the home page of `roles` instead of the one accounts keeps for them: the view
    `url_name` names (taking the request alone) answers at / for those roles, so that its links and
    query string stay on the home page's address (accounts.views.home). The first app declaring a
    role wins; a url that does not resolve leaves the role its own home page (an app half wired)."""

    url_name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class DemoBuilder:
    """A step of `manage.py demo`: `path` names a function `step(command) -> None` that writes the
    app's own demo rows only, reports on `command.stdout`, and does nothing the second time (the
    command may run again). Each step runs in its own transaction.

    `refresh` (optional) names a function `refresh(command) -> None` that brings the app's demo
    rows made on an earlier day up to today; `demo --if-empty` runs it, instead of the step, on a
    database that has users. It must leave a database without the app's demo rows untouched."""

    path: str
    refresh: str = ""

    def run(self, command) -> None:
        import_string(self.path)(command)

    def run_refresh(self, command) -> None:
        if self.refresh:
            import_string(self.refresh)(command)


@dataclass(frozen=True)
class ReferenceLoader:
    """An app's part of `manage.py load_reference`.

    - `load`: a function `load(record: Recorder) -> None`, run before any folder of
      accounts/reference/ (a region's rows may name what it loads); the command prints its counts
      on a line of their own, headed by `name`.
    - `load_region`: a function `load_region(folder: Path, region, record: Recorder) -> None`, run for
      each region's folder inside that folder's transaction, once the region, its districts and
      its organisations are loaded; its counts join the folder's line. Files it reads are in the
      folder; one that is missing holds no rows (lib.reference_files.read_csv).
    """

    name: str
    load: str = ""
    load_region: str = ""

    def run(self, record: Recorder) -> None:
        if self.load:
            import_string(self.load)(record)

    def run_for_region(self, folder: Path, region: Any, record: Recorder) -> None:
        if self.load_region:
            import_string(self.load_region)(folder, region, record)


@dataclass(frozen=True)
class PeriodicJob:
    """A task the scheduler enqueues once per interval of `seconds`, whatever the number of
    schedulers running (lib.scheduling). `task` names a django_tasks task taking no argument; it
    must do no harm when run twice (it claims its rows)."""

    name: str
    task: str
    seconds: int

    def enqueue(self) -> None:
        import_string(self.task).enqueue()


class PluginApp:
    """Mixed into the AppConfig of a Tartip app: what the app adds to the platform (see the module's
    text). A mixin rather than an AppConfig of its own: Django takes the one AppConfig subclass an
    apps.py holds as the app's, and would find two there."""

    navigation: tuple[NavEntry, ...] = ()
    home_pages: tuple[HomePage, ...] = ()
    demo_builders: tuple[DemoBuilder, ...] = ()
    reference_loaders: tuple[ReferenceLoader, ...] = ()
    periodic_jobs: tuple[PeriodicJob, ...] = ()
    secret_url_prefixes: tuple[str, ...] = ()
    metric_groups: tuple[str, ...] = ()
    summary_sentences: tuple[str, ...] = ()
    metric_values: tuple[str, ...] = ()
    summary_quotes: tuple[str, ...] = ()
    map_layers: tuple[str, ...] = ()
    catalogue_reader: str = ""
    series_reader: str = ""
    summary_reader: str = ""
    report_tasks: tuple[str, ...] = ()
    answer_tasks: tuple[str, ...] = ()
    recategorise_tasks: tuple[str, ...] = ()


def _declared(attribute: str) -> list:
    """The items every installed app declares under `attribute`, in INSTALLED_APPS order (apps whose
    AppConfig is not a PluginApp, such as Django's own, declare none)."""
    return [
        item
        for config in apps.get_app_configs()
        if isinstance(config, PluginApp)
        for item in getattr(config, attribute)
    ]


def navigation() -> list[NavEntry]:
    """Every app's menu entries, by `order` (entries of equal order in INSTALLED_APPS order)."""
    return sorted(_declared("navigation"), key=lambda entry: entry.order)


def landing(role: str) -> NavEntry | None:
    """The entry a role lands on (the first by `order` when two apps declare one), or None: the
    role's home page is its landing."""
    return next((entry for entry in navigation() if role in entry.lands), None)


def landing_url(role: str) -> str | None:
    """The url of the role's landing entry; None when it has none or its url does not resolve (an
    app half wired)."""
    entry = landing(role)
    if entry is None:
        return None
    try:
        return reverse(entry.url_name)
    except NoReverseMatch:
        return None


def home_page(role: str) -> HomePage | None:
    """The page an app declares as the role's home page (the first app's, if two do), or None."""
    return next((page for page in _declared("home_pages") if role in page.roles), None)


def home_page_view(role: str) -> Callable | None:
    """The view of the page declared as the role's home page (`home_pages`), or None: accounts keeps
    the role's own."""
    page = home_page(role)
    if page is None:
        return None
    try:
        return resolve(reverse(page.url_name)).func
    except (NoReverseMatch, Resolver404):
        return None


def demo_builders() -> list[DemoBuilder]:
    return _declared("demo_builders")


def reference_loaders() -> list[ReferenceLoader]:
    return _declared("reference_loaders")


def periodic_jobs() -> dict[str, PeriodicJob]:
    """name -> job, in INSTALLED_APPS order; a name is the job's key in the shared cache, so two
    apps may not declare the same."""
    jobs: dict[str, PeriodicJob] = {}
    for job in _declared("periodic_jobs"):
        if job.name in jobs:
            raise ImproperlyConfigured(f"Two periodic jobs are named {job.name!r}.")
        jobs[job.name] = job
    return jobs


def secret_url_prefixes() -> frozenset[str]:
    return frozenset(_declared("secret_url_prefixes"))


@cache
def _predicate(path: str):
    return import_string(path)


@cache
def report_tasks() -> tuple:
    """Every app's tasks on a new report, imported once per process (the intake is a hot path)."""
    return tuple(import_string(path) for path in _declared("report_tasks"))


@cache
def answer_tasks() -> tuple:
    """Every app's tasks on an answer given, accepted or returned, imported once per process."""
    return tuple(import_string(path) for path in _declared("answer_tasks"))


@cache
def recategorise_tasks() -> tuple:
    """Every app's tasks on a report put in another category, imported once per process."""
    return tuple(import_string(path) for path in _declared("recategorise_tasks"))


def metric_groups() -> list:
    """Every app's metric groups (lib.metrics.MetricGroup), imported, in INSTALLED_APPS order. Two
    metrics may not share a code, nor two groups a name."""
    groups = [import_string(path) for path in _declared("metric_groups")]
    names, codes = set(), set()
    for group in groups:
        if group.name in names:
            raise ImproperlyConfigured(f"Two metric groups are named {group.name!r}.")
        names.add(group.name)
        for metric in group.metrics:
            if metric.code in codes:
                raise ImproperlyConfigured(f"Two metrics have the code {metric.code!r}.")
            codes.add(metric.code)
    return groups


def _sole(attribute: str) -> Callable | None:
    """The function the one app declaring `attribute` names (the first, if two do), or None."""
    paths = [getattr(config, attribute) for config in apps.get_app_configs() if isinstance(config, PluginApp)]
    paths = [path for path in paths if path]
    return import_string(paths[0]) if paths else None


def metric_series(region_id: int, codes: list[str], start, end, language: str) -> list[dict]:
    """The metrics of `codes` month by month (`series_reader`); none when no app computes them."""
    reader = _sole("series_reader")
    return reader(region_id, codes, start, end, language) if reader and codes else []


def summary_document(region_id: int, start, end, as_of, language: str) -> dict | None:
    """The results summary of the period as of `as_of` (`summary_reader`); None when no app makes one."""
    reader = _sole("summary_reader")
    return reader(region_id, start, end, as_of, language) if reader else None


def submitted_catalogue() -> tuple[list, list]:
    """The catalogue's submitted metrics and consistency rules (lib.metrics.SubmittedMetric,
    Consistency), from the app that keeps the catalogue; none when no app does."""
    readers = [
        config.catalogue_reader
        for config in apps.get_app_configs()
        if isinstance(config, PluginApp) and config.catalogue_reader
    ]
    return import_string(readers[0])() if readers else ([], [])


def metric_values() -> list[Callable]:
    """Every app's providers of submitted and imported metrics' values, imported."""
    return [import_string(path) for path in _declared("metric_values")]


def summary_quotes() -> list[Callable]:
    """Every app's providers of the texts the summary quotes in its areas' sections, imported."""
    return [import_string(path) for path in _declared("summary_quotes")]


def map_layers(window, language: str) -> list[dict]:
    """Every app's points on the results summary's map for the window, in INSTALLED_APPS order."""
    return [import_string(path)(window, language) for path in _declared("map_layers")]


def summary_sentences() -> list:
    """Every app's sentences of the summary's text (lib.metrics.Sentence), in INSTALLED_APPS order;
    two may not share a code."""
    sentences = [sentence for path in _declared("summary_sentences") for sentence in import_string(path)]
    codes = [sentence.code for sentence in sentences]
    for code in codes:
        if codes.count(code) > 1:
            raise ImproperlyConfigured(f"Two summary sentences have the code {code!r}.")
    return sentences
