from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and reference data")

    def ready(self):
        from accounts import (
            admin_security,  # noqa: F401  (User and read-only AuditEvent admin, audited bulk deletion)
            audit_hooks,  # noqa: F401  (login, failure, lockout and admin audit receivers)
        )
