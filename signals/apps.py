from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMINISTRATORS, ANYONE, OVERSIGHT_ROLES, STAFF, Role
from lib.plugins import DemoBuilder, NavEntry, PeriodicJob, PluginApp, ReferenceLoader

BODY_OFFICERS = frozenset({Role.BODY_OFFICER})
CITIZENS = frozenset({Role.CITIZEN})
# The administrator keeps the administration's home page as a landing.
OVERSEERS = OVERSIGHT_ROLES - ADMINISTRATORS


class SignalsConfig(PluginApp, AppConfig):
    name = "signals"
    verbose_name = _("Offence reports")

    navigation = (
        NavEntry("report", _("Report an offence"), "signals:report", ANYONE, order=100),
        NavEntry("mine", _("My reports"), "signals:mine", CITIZENS, order=105, lands=CITIZENS),
        NavEntry("public_map", _("Map of reports"), "signals:public_map", ANYONE - STAFF, order=110),
        # A body officer's work starts on the body's queue, a prosecutor's and the analyst's on the
        # oversight of their scope (lib.plugins.NavEntry.lands).
        NavEntry("queue", _("Our queue"), "signals:queue", BODY_OFFICERS, order=120, lands=BODY_OFFICERS),
        NavEntry("reports", _("Reports"), "signals:list", STAFF - {Role.PARTNER}, order=130),
        NavEntry("oversight", _("Oversight"), "signals:oversight", OVERSIGHT_ROLES, order=140, lands=OVERSEERS),
    )
    # Two years of reports, signed by the demo accounts (accounts' builder runs first).
    demo_builders = (DemoBuilder("signals.demo.create_demo_reports", refresh="signals.demo.refresh_demo_reports"),)
    # The categories and answer templates before any region's folder (its routing rules name them),
    # then each region's routing rules (signals/reference_data.py).
    reference_loaders = (
        ReferenceLoader(
            "categories",
            load="signals.reference_data.load_categories_and_templates",
            load_region="signals.reference_data.load_routing_rules",
        ),
    )
    # A tracking link's token proves the reporter: it stays out of the logs (lib.log_redaction).
    secret_url_prefixes = ("/track/",)
    # Its reports on the results summary's map, public categories only, per grid cell.
    map_layers = ("signals.map_layers.report_points",)
    # FSM Social's figures for the results summary (signals.metrics).
    metric_groups = tuple(
        f"signals.metrics.{name}"
        for name in ("RECEIVED", "ROUTED", "ANSWERS", "RETURNS", "REOPENED", "REGISTERED", "OVERDUE")
    )
    # What the summary's text says about FSM Social, beside the metrics.
    summary_sentences = ("signals.metrics.SENTENCES",)
    periodic_jobs = (
        # Idempotent: the sweep's UPDATE claims the reports it marks, a second run marks nothing.
        PeriodicJob("sweep-deadlines", "signals.tasks.sweep_deadlines_task", seconds=300),
        # Hourly; the task sends at DIGEST_HOUR or later, once a day per prosecutor (a cache claim).
        PeriodicJob("oversight-digest", "signals.tasks.send_oversight_digests_task", seconds=3600),
        # The oversight page's 90-day statistics, ahead of the prosecutors' visits (signals.oversight).
        PeriodicJob("oversight-statistics", "signals.tasks.refresh_oversight_statistics_task", seconds=600),
    )
