from django.core.management.base import BaseCommand, CommandError

from lib.crypto import current_encryption_key_id, current_hash_key_id
from lib.key_rotation import protected_models, rotate_model, stale_rows


class Command(BaseCommand):
    help = (
        "Re-encrypt and re-hash every protected value under the newest keys (the first ones of "
        "FIELD_ENCRYPTION_KEY and FIELD_HASH_KEY), in batches; an interrupted run is resumed by running it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument("--dry-run", action="store_true", help="only count the rows still under an older key")

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        self.stdout.write(f"Newest keys: encryption {current_encryption_key_id()}, hash {current_hash_key_id()}.")
        missing = set()
        for protected in protected_models():
            if dry_run:
                self.stdout.write(f"{protected.label}: {stale_rows(protected).count()} row(s) under an older key")
                continue
            result = rotate_model(
                protected,
                batch_size=batch_size,
                on_batch=lambda progress, label=protected.label: self.stdout.write(
                    f"{label}: {progress.rewritten} row(s) rewritten so far"
                ),
            )
            self.stdout.write(f"{protected.label}: {result.rewritten} row(s) rewritten, {result.unreadable} unreadable")
            missing |= result.missing_keys
        if missing:
            raise CommandError(
                "Some rows are encrypted with keys that are not configured (key ids: "
                f"{', '.join(sorted(missing))}): add those keys to FIELD_ENCRYPTION_KEY and run again."
            )
