from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import PROSECUTOR_ROLES, Role
from lib.plugins import DemoBuilder, NavEntry, PluginApp


class SupervisionConfig(PluginApp, AppConfig):
    name = "supervision"
    verbose_name = _("Results of supervision")

    navigation = (
        NavEntry("acts", _("Acts of response"), "supervision:acts", PROSECUTOR_ROLES | {Role.ANALYST}, order=200),
    )
    # After the demo reports (signals' builder): acts answer their late and returned answers.
    demo_builders = (DemoBuilder("supervision.demo.create_demo_acts"),)
    # The results summary's figures of the acts (reporting reads them through lib.plugins).
    metric_groups = ("supervision.metrics.ACTS",)
    summary_sentences = ("supervision.metrics.SENTENCES",)
