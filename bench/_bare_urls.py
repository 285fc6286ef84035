"""Benchmark only: a bare endpoint inserting the rows an API submission inserts (the report and
its "submitted" and "routed" events, by the same prepared INSERTs: lib.inserts) with no key check,
validation, routing, deadline calculation, reference counter or task: the ceiling the real
endpoint is measured against.

Served only by the server bench/intake.py starts with bench._settings_bare; no Tartip URLconf
includes it.
"""

import json
import secrets
from datetime import timedelta

from django.db import transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import District, Organisation
from lib.inserts import insert_new
from signals.models import Category, Report, ReportEvent

_lookups: dict = {}


def _lookup():
    """Categories and districts by code, and one body, read once per process."""
    if not _lookups:
        _lookups["categories"] = {c.code: c for c in Category.objects.all()}
        _lookups["districts"] = {d.kato: d for d in District.objects.all()}
        _lookups["body"] = Organisation.objects.filter(kind=Organisation.Kind.BODY).order_by("id").first()
    return _lookups


@csrf_exempt
@require_POST
def bare_report(request):
    try:
        data = json.loads(request.body)
        lookups = _lookup()
        category = lookups["categories"][data["category"]]
        district = lookups["districts"].get(data.get("district"))
    except (ValueError, KeyError):
        return HttpResponseBadRequest()
    now = timezone.now()
    body = lookups["body"]
    with transaction.atomic():
        report = Report(
            region_id=district.region_id if district else body.region_id,
            reference=f"BARE-{secrets.token_hex(12)}",
            tracking_token_hash=secrets.token_hex(32),
            category=category,
            district=district,
            body=body,
            channel=Report.Channel.API,
            status=Report.Status.ROUTED,
            description=data.get("description", ""),
            address=data.get("address", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            attributes=data.get("attributes") or {},
            sensitive=category.sensitive,
            submitted_at=now,
            routed_at=now,
            deadline_at=now + timedelta(days=14),
        )
        insert_new([report])
        # The same rows as signals.services.events.submission_events: the first state ends at once.
        insert_new(
            [
                ReportEvent(
                    report=report,
                    at=now,
                    until=now,
                    kind=ReportEvent.Kind.SUBMITTED,
                    to_status=Report.Status.NEW,
                    deadline_at=report.deadline_at,
                ),
                ReportEvent(
                    report=report,
                    at=now,
                    kind=ReportEvent.Kind.ROUTED,
                    from_status=Report.Status.NEW,
                    to_status=Report.Status.ROUTED,
                    body=body,
                    deadline_at=report.deadline_at,
                ),
            ]
        )
    return JsonResponse({"reference": report.reference}, status=201)


urlpatterns = [
    path("healthz", lambda request: JsonResponse({"ok": True}), name="healthz"),
    path("bare/reports/", bare_report, name="bare-report"),
]
