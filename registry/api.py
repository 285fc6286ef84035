"""The registry's lookup for partners' systems: `POST /api/v1/registry/lookup` with `{"value": ...}`
(a bank checks an account before a transfer). Answers the value's normal form, its kind and its
status when it is a confirmed indicator of the key's region (every region for a national partner),
"unknown" otherwise; never anything a suspected indicator is. Each lookup is kept by the keyed hash
of what was asked, and folded into the audit chain by a worker in batches (registry.tasks)."""

import functools

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_keys import ApiKeyAuthentication, ApiRateThrottle
from accounts.models import ApiKey
from lib.crypto import keyed_hash
from lib.inserts import insert_new
from lib.openapi import field_errors, refusal

from . import policy
from .indicators import recognize
from .models import Indicator, Lookup, Status

# What a lookup tells: a suspected indicator is not the partner's business until confirmed; a
# confirmed one is answered with its blocking status too (blocking requested, blocked, unblocked...).
ANSWERED = tuple(status for status in Status.values if status in policy.CONFIRMED_STATUSES)
UNKNOWN = "unknown"
LOOKUP_STATUSES = [*ANSWERED, UNKNOWN]


class WithApiKey(BasePermission):
    message = _("Send your system's API key: the registry's lookup is for partners' systems.")

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey)


MAX_LENGTH = 400


class LookupInput(serializers.Serializer):
    value = serializers.CharField(max_length=MAX_LENGTH, trim_whitespace=True)


class LookupOutput(serializers.Serializer):
    kind = serializers.CharField(allow_null=True, help_text="The value's kind, or null when it is of no known kind.")
    value = serializers.CharField(allow_null=True, help_text="The value in its normal form (a card masked).")
    status = serializers.ChoiceField(choices=LOOKUP_STATUSES)


def _record(api_key: ApiKey, kind: str, value_hash: str, status: str) -> None:
    # A prepared INSERT (lib.inserts): the lookup is a hot path, and its row a plain one.
    insert_new([Lookup(api_key=api_key, kind=kind, value_hash=value_hash, status=status, at=timezone.now())])


@functools.cache
def _known_sql(hashes: int, by_region: bool) -> str:
    """The hot path's one read, built once per shape: the ORM built and compiled the same SELECT
    for every lookup, a third of its CPU. Only placeholders go into the text; values are parameters."""
    marks, answered = ", ".join(["%s"] * hashes), ", ".join(["%s"] * len(ANSWERED))
    region = " AND region_id = %s" if by_region else ""
    table = Indicator._meta.db_table
    return (
        f"SELECT status FROM {table} WHERE kind = %s AND value_hash IN ({marks})"  # noqa: S608
        f" AND status IN ({answered}){region} LIMIT 1"
    )


def _known_status(kind: str, hashes: list[str], region_id: int | None) -> str | None:
    params = [kind, *hashes, *ANSWERED, *([] if region_id is None else [region_id])]
    with connection.cursor() as cursor:
        cursor.execute(_known_sql(len(hashes), region_id is not None), params)
        row = cursor.fetchone()
    return row[0] if row else None


def _answer(api_key: ApiKey, raw: str) -> dict:
    found = recognize(raw)
    if found is None:
        _record(api_key, "", keyed_hash(" ".join(raw.split()).casefold()), UNKNOWN)
        return {"kind": None, "value": None, "status": UNKNOWN}
    hashes = found.hashes  # the newest key's first
    region_id = api_key.organisation.region_id if api_key.organisation_id else None
    status = _known_status(found.kind, hashes, region_id) or UNKNOWN
    _record(api_key, found.kind, hashes[0], status)
    return {"kind": found.kind, "value": found.shown, "status": status}


def _value(data) -> tuple[str, dict | None]:
    """The value asked, or the input's errors by field (the API's usual 400 body)."""
    value = data.get("value") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        return "", {"value": [str(_("Write the value."))]}
    if len(value) > MAX_LENGTH:
        return "", {"value": [str(_("At most %(count)s characters.") % {"count": MAX_LENGTH})]}
    return value.strip(), None


class LookupView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [WithApiKey]
    throttle_classes = [ApiRateThrottle]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="registry_lookup",
        summary="Look a value up in the registry",
        description=(
            "Whether an account, card, phone, link or name is a confirmed indicator of the registry. "
            "The value may be written any way. Each lookup is audited by the keyed hash of the value."
        ),
        request=LookupInput,
        responses={
            200: LookupOutput,
            400: field_errors("No value, or a value too long."),
            403: refusal("No API key, or a wrong, expired or revoked one."),
            415: refusal("The body is not JSON."),
            429: refusal("The key's rate limit is reached: see Retry-After."),
        },
        tags=["registry"],
    )
    def post(self, request):
        # Checked by hand rather than by LookupInput, which documents it: a serializer's fields are
        # deep-copied on every request, a tenth of a lookup's CPU.
        value, errors = _value(request.data)
        if errors:
            return Response(errors, status=400)
        return Response(_answer(request.auth, value))
