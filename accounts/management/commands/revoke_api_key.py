"""python manage.py revoke_api_key PREFIX"""

from django.core.management.base import BaseCommand, CommandError

from accounts.api_keys import api_key_revoke
from accounts.models import ApiKey


class Command(BaseCommand):
    help = "Revokes an API key, named by its prefix (the part after tk_); its calls are refused from now on."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        prefix = prefix.strip()
        if prefix.startswith("tk_"):  # the whole key, or its start, was pasted
            prefix = prefix.split("_")[1]
        try:
            api_key = ApiKey.objects.get(prefix=prefix)
        except ApiKey.DoesNotExist:
            raise CommandError(f"No API key with the prefix {prefix!r}.") from None
        already = api_key.revoked_at is not None
        api_key_revoke(api_key=api_key)
        state = "was already revoked" if already else "is revoked"
        self.stdout.write(f"API key {api_key.prefix} ({api_key.name}, {api_key.organisation.code}) {state}.")
