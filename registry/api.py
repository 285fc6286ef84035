"""The registry's lookup for partners' systems: `POST /api/v1/registry/lookup` with `{"value": ...}`
(a bank checks an account before a transfer). Answers the value's normal form, its kind and its
status when it is a confirmed indicator of the key's region (every region for a national partner),
"unknown" otherwise; never anything a suspected indicator is. Each lookup is kept by the keyed hash
of what was asked, and folded into the audit chain by a worker in batches (registry.tasks)."""

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
from lib.crypto import keyed_hash, keyed_hash_candidates
from lib.inserts import insert_new
from lib.openapi import field_errors, refusal

from .indicators import recognize
from .models import Indicator, Lookup, Status

# What a lookup tells: a suspected indicator is not the partner's business until confirmed.
ANSWERED = (Status.CONFIRMED,)
UNKNOWN = "unknown"
LOOKUP_STATUSES = [*ANSWERED, UNKNOWN]


class WithApiKey(BasePermission):
    message = _("Send your system's API key: the registry's lookup is for partners' systems.")

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey)


class LookupInput(serializers.Serializer):
    value = serializers.CharField(max_length=400, trim_whitespace=True)


class LookupOutput(serializers.Serializer):
    kind = serializers.CharField(allow_null=True, help_text="The value's kind, or null when it is of no known kind.")
    value = serializers.CharField(allow_null=True, help_text="The value in its normal form (a card masked).")
    status = serializers.ChoiceField(choices=LOOKUP_STATUSES)


def _record(api_key: ApiKey, kind: str, value_hash: str, status: str) -> None:
    # A prepared INSERT (lib.inserts): the lookup is a hot path, and its row a plain one.
    insert_new([Lookup(api_key=api_key, kind=kind, value_hash=value_hash, status=status, at=timezone.now())])


def _answer(api_key: ApiKey, raw: str) -> dict:
    found = recognize(raw)
    if found is None:
        _record(api_key, "", keyed_hash(" ".join(raw.split()).casefold()), UNKNOWN)
        return {"kind": None, "value": None, "status": UNKNOWN}
    hashes = keyed_hash_candidates(f"{found.kind}:{found.value}")  # the newest key's first
    indicators = Indicator.objects.filter(kind=found.kind, value_hash__in=hashes)
    region_id = api_key.organisation.region_id if api_key.organisation_id else None
    if region_id is not None:
        indicators = indicators.filter(region_id=region_id)
    status = indicators.filter(status__in=ANSWERED).values_list("status", flat=True).first() or UNKNOWN
    _record(api_key, found.kind, hashes[0], status)
    return {"kind": found.kind, "value": found.shown, "status": status}


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
        data = LookupInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(LookupOutput(_answer(request.auth, data.validated_data["value"])).data)
