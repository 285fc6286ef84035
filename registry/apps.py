from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import PROSECUTOR_ROLES, Role
from lib.plugins import DemoBuilder, NavEntry, PeriodicJob, PluginApp


class RegistryConfig(PluginApp, AppConfig):
    name = "registry"
    verbose_name = _("Territory Without Fraud registry")

    # Prosecutors, the analyst and the police (bodies' officers of a police organisation only).
    navigation = (
        NavEntry(
            "registry",
            _("Registry"),
            "registry:home",
            PROSECUTOR_ROLES | {Role.ANALYST, Role.BODY_OFFICER},
            order=300,
            shown_to="registry.policy.may_read_registry",
        ),
        # The analyst's daily work on blocking, and the partners' whole work in Tartip: they land here.
        # The prosecutors who may request blocking reach it from the registry's page (a menu that
        # fits on one screen's width: tests_browser/test_first_contact_browser.py).
        NavEntry(
            "blocking_requests",
            _("Blocking requests"),
            "registry:requests",
            frozenset({Role.ANALYST, Role.PARTNER}),
            order=310,
            lands=frozenset({Role.PARTNER}),
            shown_to="registry.policy.may_read_requests",
        ),
        # The akimats paint graffiti over: the graffiti page is their entry (the others reach it
        # from the registry's page).
        NavEntry(
            "graffiti",
            _("Drug graffiti"),
            "registry:graffiti",
            frozenset({Role.BODY_OFFICER}),
            order=320,
            shown_to="registry.policy.reads_graffiti_only",
        ),
    )
    # The partners' lookups reach the audit chain in batches, not one lock per request.
    periodic_jobs = (
        PeriodicJob("registry-lookup-audit", "registry.tasks.audit_lookups_task", seconds=60),
        PeriodicJob("registry-expiry", "registry.tasks.expire_indicators_task", seconds=3600),
    )
    # After the demo reports (signals' builder): read from their texts.
    demo_builders = (
        DemoBuilder(
            "registry.demo.indicators.create_demo_indicators",
            refresh="registry.demo.indicators.refresh_demo_indicators",
        ),
        # After the indicators: their links in bulk, and a dropper ring.
        DemoBuilder(
            "registry.demo.networks.create_demo_networks", refresh="registry.demo.networks.refresh_demo_networks"
        ),
        # Two notices of 2025 (a bank's CSV, the antifraud centre's XLSX) through the real upload and
        # reading, linked in the networks as they are read.
        DemoBuilder("registry.demo.notices.create_demo_notices"),
        DemoBuilder(
            "registry.demo.outreach.create_demo_outreach", refresh="registry.demo.outreach.refresh_demo_outreach"
        ),
        # After the indicators: its own confirmed accounts, cards, sites and Telegram names, requested
        # and answered (the nine months of 2025 calibrated to the reference document).
        DemoBuilder(
            "registry.demo.blocking.create_demo_blocking", refresh="registry.demo.blocking.refresh_demo_blocking"
        ),
        # After signals' demo answers, whose graffiti photos it reads.
        DemoBuilder(
            "registry.demo.graffiti.create_demo_graffiti", refresh="registry.demo.graffiti.refresh_demo_graffiti"
        ),
    )
    # The results summary's figures of the registry (reporting reads them through lib.plugins).
    metric_groups = (
        "registry.metrics.FOUND",
        "registry.metrics.CONFIRMED",
        "registry.metrics.OUTREACH",
        "registry.metrics.BLOCKING",
        "registry.metrics.GRAFFITI",
    )
    summary_sentences = ("registry.metrics.SENTENCES",)
    # Every offence report's text is read for the indicators it names.
    # A report of the graffiti category becomes a graffiti record; its answers mark it destroyed.
    report_tasks = ("registry.tasks.take_report_indicators", "registry.tasks.record_report_graffiti")
    recategorise_tasks = ("registry.tasks.record_report_graffiti",)
    answer_tasks = ("registry.tasks.follow_answer_graffiti",)
