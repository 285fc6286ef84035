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
        DemoBuilder(
            "registry.demo.outreach.create_demo_outreach", refresh="registry.demo.outreach.refresh_demo_outreach"
        ),
    )
    # The results summary's figures of the registry (reporting reads them through lib.plugins).
    metric_groups = ("registry.metrics.FOUND", "registry.metrics.CONFIRMED", "registry.metrics.OUTREACH")
    summary_sentences = ("registry.metrics.SENTENCES",)
    # Every offence report's text is read for the indicators it names.
    report_tasks = ("registry.tasks.take_report_indicators",)
