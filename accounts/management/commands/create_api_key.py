"""python manage.py create_api_key --name NAME --org ORG_CODE [--expires-days N] [--rate-limit N]"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.api_keys import api_key_create
from accounts.models import Organisation


class Command(BaseCommand):
    help = "Creates an API key for an integrated system of an organisation and prints it once."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="What the key is for, e.g. 'Alga police CRM'")
        parser.add_argument("--org", required=True, help="The organisation's code, e.g. akt-police-alga")
        parser.add_argument("--expires-days", type=int, default=None, help="Days until the key expires")
        parser.add_argument("--rate-limit", type=int, default=None, help="Requests per minute (0: unlimited)")

    def handle(self, *args, name, org, expires_days, rate_limit, **options):
        try:
            organisation = Organisation.objects.get(code=org)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with the code {org!r}.") from None
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be at least 1.")
        if rate_limit is not None and rate_limit < 0:
            raise CommandError("--rate-limit must not be negative.")
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        api_key, raw = api_key_create(
            name=name.strip(), organisation=organisation, expires_at=expires_at, rate_limit_per_minute=rate_limit
        )
        self.stderr.write(
            f"API key {api_key.prefix} for {organisation.code} ({api_key.name}); "
            f"{api_key.rate_limit_per_minute or 'unlimited'} requests per minute"
            + (f"; expires {api_key.expires_at:%Y-%m-%d %H:%M %Z}" if api_key.expires_at else "")
            + ". It is shown only now: keep it safe."
        )
        self.stdout.write(raw)
