"""Secrets kept out of the logs.

A report's tracking link carries its token in the path (`/track/<token>/`): whoever holds the link
may add to the report. The token must not sit in the server's own logs either: gunicorn's access
log writes the request line and the Referer (every stylesheet a tracking page loads names the
page), Django's `django.request` logger writes "Not Found: <path>" for a wrong token.

Apps declare the url prefixes whose next path segment is a secret (`PluginApp.secret_url_prefixes`);
`redact` replaces that segment, wherever it appears in a line, by `***`. Django's log records pass
through `RedactSecrets` (settings.LOGGING), gunicorn's access log through the logger class of
gunicorn.conf.py."""

import logging
import re
from functools import cache

from django.apps import apps

from lib.plugins import secret_url_prefixes

HIDDEN = "***"


@cache
def _secret_segments() -> re.Pattern | None:
    prefixes = secret_url_prefixes()
    if not prefixes:
        return None
    alternatives = "|".join(re.escape(prefix) for prefix in sorted(prefixes, key=len, reverse=True))
    # The segment after a prefix, up to the next slash, query, fragment, quote or space.
    return re.compile(rf"({alternatives})[^/?#\s\"']+")


def redact(text: str) -> str:
    """`text` with every secret path segment replaced by `***`. Before the apps are loaded (a
    process that has not set Django up yet) nothing is known to be secret, and nothing is changed."""
    if not apps.ready:
        return text
    pattern = _secret_segments()
    return pattern.sub(rf"\g<1>{HIDDEN}", text) if pattern else text


class RedactSecrets(logging.Filter):
    """A handler's filter: the record's message is formatted here, redacted, and kept formatted
    (its arguments would bring the secret back)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
