from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.audit import audit_record, verify_audit_chain, write_checkpoint
from accounts.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check the audit log's MAC chain and its head against the last signed checkpoint; exit 1 "
        "naming each row that was edited, inserted, deleted or cut from the end."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accept-break",
            action="store_true",
            help="after the problems found were looked into: record them in the log and sign a checkpoint of the "
            "chain as it is now (checkpoints stop while the chain no longer holds what the last one signed)",
        )

    def handle(self, *args, accept_break, **options):
        result = verify_audit_chain()
        if not result.intact:
            for finding in result.findings:
                self.stderr.write(f"- {finding.kind}: {finding.text}")
            if accept_break:
                self._accept(result)
                return
            raise CommandError(f"Audit log NOT intact: {len(result.findings)} problem(s) in {result.count} rows.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {result.count} rows (head MAC {result.head[1]})."))
        checkpoint = result.checkpoint
        if checkpoint is None:
            self.stdout.write(
                "No checkpoint yet: rows cut from the end of the log could not be seen. "
                "The scheduler writes one every "
                f"{settings.AUDIT_CHECKPOINT_MINUTES} minute(s)."
            )
            return
        self.stdout.write(f"Last checkpoint: {checkpoint.seq} rows at {checkpoint.at:%Y-%m-%d %H:%M:%S} UTC.")
        if result.uncovered:
            self.stdout.write(
                f"{result.uncovered} row(s) written since that checkpoint could be cut unseen until the next one "
                f"(every {settings.AUDIT_CHECKPOINT_MINUTES} minute(s))."
            )

    def _accept(self, result):
        audit_record(
            action=AuditEvent.Action.ADMIN_CHANGE,
            target="audit log",
            details={"operation": "break accepted", "findings": [f"{f.kind}: {f.text}" for f in result.findings]},
        )
        checkpoint = write_checkpoint(after_a_break=True)
        self.stdout.write(
            f"The break is recorded in the log, and a checkpoint of {checkpoint.seq} rows is signed: "
            "verify_audit compares with it from now on."
        )
