from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import PROSECUTOR_ROLES, REGION_WIDE_ROLES, Role
from lib.plugins import DemoBuilder, NavEntry, PeriodicJob, PluginApp

from .scoping import CRIME_READERS


class SupervisionConfig(PluginApp, AppConfig):
    name = "supervision"
    verbose_name = _("Results of supervision")

    navigation = (
        NavEntry("acts", _("Acts of response"), "supervision:acts", PROSECUTOR_ROLES | {Role.ANALYST}, order=200),
        # Criminal cases under the offices' control: their stages, persons and amounts as dated events.
        NavEntry("cases", _("Criminal cases"), "supervision:cases", PROSECUTOR_ROLES | REGION_WIDE_ROLES, order=202),
        # Crime between boards: the CompStat view, which links the statistics' imports.
        NavEntry("crime", _("Crime"), "supervision:compstat", CRIME_READERS, order=205),
        NavEntry(
            "submissions",
            _("Submissions"),
            "supervision:submissions",
            PROSECUTOR_ROLES | {Role.ANALYST},
            order=206,
            shown_to="supervision.services.submissions.may_open_submissions",
        ),
        # Investment projects under supervision and social facilities built from returned assets.
        NavEntry(
            "projects", _("Investment projects"), "supervision:projects", PROSECUTOR_ROLES | {Role.ANALYST}, order=207
        ),
        NavEntry(
            "facilities", _("Social facilities"), "supervision:facilities", PROSECUTOR_ROLES | {Role.ANALYST}, order=208
        ),
    )
    navigation += (
        # Highlights for publication: the prosecutors write and approve them, the analyst reads them.
        NavEntry("highlights", _("Highlights"), "supervision:highlights", PROSECUTOR_ROLES | {Role.ANALYST}, order=209),
    )
    # After the demo reports (signals' builder): acts answer their late and returned answers.
    demo_builders = (
        DemoBuilder("supervision.demo.create_demo_acts"),
        # Investment projects and social facilities (paid for by the acts above), calibrated to the board's documents.
        DemoBuilder(
            "supervision.project_demo.create_demo_projects", refresh="supervision.project_demo.refresh_demo_projects"
        ),
        # Registered offences of 2024, 2025 and the live months, calibrated to the board's documents.
        DemoBuilder("supervision.crime_demo.create_demo_crime", refresh="supervision.crime_demo.refresh_demo_crime"),
        # Cases under control and acts with what they achieved, calibrated to the board's documents.
        DemoBuilder("supervision.record_demo.create_demo_records"),
        # After the accounts' demo users: their offices' months, approved by the demo analyst.
        DemoBuilder(
            "supervision.submission_demo.create_demo_submissions",
            refresh="supervision.submission_demo.refresh_demo_submissions",
        ),
    )
    # The offices late with last month's figures reminded (once a month each; the job is idempotent).
    periodic_jobs = (
        PeriodicJob("supervision-submission-reminders", "supervision.tasks.remind_late_submitters_task", seconds=3600),
    )
    # The results summary's figures of the acts (reporting reads them through lib.plugins).
    metric_groups = (
        "supervision.metrics.ACTS",
        "supervision.metrics.AMOUNTS",
        "supervision.crime_metrics.CRIME",
        "supervision.case_metrics.CHANGES",
        "supervision.case_metrics.STATE",
        "supervision.case_metrics.REGISTERED",
        "supervision.business_metrics.PROJECTS",
        "supervision.business_metrics.PROBLEMS",
        "supervision.business_metrics.FACILITIES",
        "supervision.submission_metrics.SUBMISSIONS",
    )
    summary_sentences = (
        "supervision.metrics.SENTENCES",
        "supervision.crime_metrics.SENTENCES",
        "supervision.case_metrics.SENTENCES",
        "supervision.business_metrics.SENTENCES",
    )
    # The approved highlights the summary quotes in their areas' sections.
    summary_quotes = ("supervision.highlights.summary_quotes",)
    # The social facilities on the results summary's map.
    map_layers = ("supervision.map_layers.facility_points",)
    # The figures it holds by month (aggregated crime tables) for metrics read from imports.
    metric_values = ("supervision.figures.held_values",)
