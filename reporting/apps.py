from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from accounts.roles import DASHBOARD_ROLES, SUMMARY_READERS
from lib.plugins import DemoBuilder, HomePage, NavEntry, PeriodicJob, PluginApp


def _sync_catalogue(sender, using="default", **kwargs):
    from reporting.catalogue import sync

    sync(using=using)


class ReportingConfig(PluginApp, AppConfig):
    name = "reporting"
    verbose_name = _("Results summary")

    # One menu entry: the metrics' catalogue is linked from the summaries' page (the menu must fit
    # at 1280 px).
    navigation = (NavEntry("summaries", _("Summaries"), "reporting:summaries", SUMMARY_READERS, order=700),)
    # The dashboards of the summary's figures are the home page of the roles that read them (the region's,
    # a district prosecutor's, the analyst's: reporting.policy.dashboard_of).
    home_pages = (HomePage("reporting:dashboard", DASHBOARD_ROLES),)
    # After the fact apps' demo records: the summaries are computed from them.
    demo_builders = (DemoBuilder("reporting.demo.create_demo_summaries"),)
    # Every summary brings the counts kept by day up to the records first; the job keeps that short.
    periodic_jobs = (PeriodicJob("summary-cells", "reporting.tasks.refresh_summary_cells_task", seconds=300),)
    # The submitted metrics and their rules, for the app that collects the submissions.
    catalogue_reader = "reporting.catalogue.submitted"
    # Metrics month by month, for the board's directives' and projects' pages.
    series_reader = "reporting.series.metric_series"
    # The results summary as a document's text and tables, for the board's meeting pack.
    summary_reader = "reporting.output.summary_document"

    def ready(self):
        # The computed metrics' rows follow the code after every migrate (reporting.catalogue).
        post_migrate.connect(_sync_catalogue, sender=self, dispatch_uid="reporting-sync-catalogue")
