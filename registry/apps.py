from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lib.plugins import PluginApp


class RegistryConfig(PluginApp, AppConfig):
    name = "registry"
    verbose_name = _("Territory Without Fraud registry")

    # Every offence report's text is read for the indicators it names.
    report_tasks = ("registry.tasks.take_report_indicators",)
