from django.core.management.base import BaseCommand, CommandError

from accounts.audit import verify_audit_chain
from accounts.models import AuditEvent


class Command(BaseCommand):
    help = "Recompute the hash chain of the audit log; exit 1 naming the first event that no longer matches."

    def handle(self, *args, **options):
        broken_id = verify_audit_chain()
        if broken_id is not None:
            event = AuditEvent.objects.get(id=broken_id)
            raise CommandError(
                f"Audit chain broken at event {broken_id} ({event}): it was altered, or one before it was removed."
            )
        count = AuditEvent.objects.count()
        last_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or "-"
        # The last hash, kept elsewhere, also reveals rows removed from the end of the log.
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events (last hash {last_hash})"))
