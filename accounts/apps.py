from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMINISTRATORS, ANYONE, STAFF, Role
from lib.plugins import DemoBuilder, NavEntry, PeriodicJob, PluginApp

PARTNERS = frozenset({Role.PARTNER})


class AccountsConfig(PluginApp, AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and reference data")

    # The home page first, the staff's tools after the apps' pages (lib.plugins.NavEntry).
    navigation = (
        NavEntry("home", _("Home"), "home", ANYONE, order=0),
        # A partner's only work today is what is addressed to it (blocking requests come with the
        # registry): it lands on its notifications.
        NavEntry("notifications", _("Notifications"), "accounts:notifications", STAFF, order=800, lands=PARTNERS),
        NavEntry("directory", _("Directory"), "accounts:directory", STAFF, order=810),
        NavEntry("map", _("Map"), "accounts:region_map", STAFF - {Role.PARTNER}, order=820),
        # The administrators issue the API keys and hand the documentation to the integrators.
        NavEntry("api", _("API documentation"), "api-docs", ADMINISTRATORS, order=830),
        NavEntry("admin", _("Administration"), "admin:index", ADMINISTRATORS, order=900),
    )
    # One account per role: the other apps' demo data is signed by them.
    demo_builders = (DemoBuilder("accounts.demo.create_demo_users"),)
    periodic_jobs = (
        PeriodicJob(
            "audit-checkpoint", "accounts.tasks.write_audit_checkpoint", seconds=settings.AUDIT_CHECKPOINT_MINUTES * 60
        ),
    )
    # The regions, districts, organisations and calendar overrides are the load_reference
    # command's own (accounts/reference/): no loader to declare.

    def ready(self):
        from accounts import (
            admin_security,  # noqa: F401  (User and read-only AuditEvent admin, audited bulk deletion)
            audit_hooks,  # noqa: F401  (login, failure, lockout and admin audit receivers)
        )
