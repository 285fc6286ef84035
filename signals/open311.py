"""Open311 GeoReport v2 at /open311/v2/ (wiki.open311.org/GeoReport_v2).

Services are our categories (service_code = category code), service requests are reports
(service_request_id = the public reference, e.g. AKT-2025-000123). Every resource answers in XML
(`.xml`, the spec's element names, written by `Open311XMLRenderer`) and JSON (`.json`).

What `GET requests` shows is public: sensitive categories never appear, and no personal data
does either: no reporter, no free-text description or address typed by the reporter (either can
name a person), no photos; the place is the district and a point rounded to about 100 m.
Creating a request needs an API key (`api_key`); reading is open, limited per client address.
Errors are the spec's list of `code` and `description`: 400 bad input, 403 missing or wrong key,
404 unknown service, request, token or jurisdiction, 429 too many requests. Each resource is
served at a .json and an .xml URL (open311_urls), documented in the OpenAPI schema of
/open311/v2/schema/ (open311_schema).
"""

import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_keys import ApiRateThrottle, Open311ApiKeyAuthentication
from accounts.models import ApiKey, Region
from accounts.zones import default_zone, local_today, region_zone, report_zone, sole_region_zone, zones_by_region
from lib.i18n import localized
from signals import open311_schema, services
from signals.models import Category, CategoryAttribute, Report
from signals.policy import CLOSED_STATUSES, OPEN_STATUSES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_REQUESTS = 1000
DEFAULT_SPAN = timedelta(days=90)
# About 100 m: enough to place a report on a map, too coarse to point at a door.
PUBLIC_COORDINATE_PLACES = 3


# XML: the element of each item of a list, by the list's element name.
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
# Characters XML 1.0 cannot carry at all (control characters other than tab and line breaks).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def open311_status(report_status: str) -> str:
    return "closed" if report_status in CLOSED_STATUSES else "open"


def w3_datetime(value: datetime | None, zone=None) -> str | None:
    """ISO 8601 with the offset, as the spec asks: 2025-03-01T14:30:00+05:00; in `zone` (the
    report's region's), else the active zone."""
    if value is None:
        return None
    return timezone.localtime(value, zone).isoformat(timespec="seconds")


def localized_value_name(value: dict) -> str:
    return localized(value, "name") or str(value.get("name") or value.get("key", ""))


# --- Rendering ------------------------------------------------------------------------------


def _xml_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", force_str(value))


def _xml_fill(element: ElementTree.Element, value) -> None:
    if isinstance(value, dict):
        for key, child_value in value.items():
            _xml_fill(ElementTree.SubElement(element, key), child_value)
    elif isinstance(value, list | tuple):
        item_tag = XML_ITEMS.get(element.tag, "item")
        for item in value:
            _xml_fill(ElementTree.SubElement(element, item_tag), item)
    else:
        element.text = _xml_text(value)


class Open311XMLRenderer(BaseRenderer):
    """The spec's XML: `<services><service>…`, `<service_requests><request>…`,
    `<service_definition>…`, `<errors><error>…`, UTF-8 with the XML declaration."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        if response is not None and response.status_code >= 400:
            root_tag = "errors"
        else:
            root_tag = getattr(view, "open311_root", "service_requests")
        root = ElementTree.Element(root_tag)
        _xml_fill(root, data)
        body = ElementTree.tostring(root, encoding="unicode")
        return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


class Open311JSONRenderer(JSONRenderer):
    media_type = "application/json"
    format = "json"
    charset = "utf-8"


# --- Errors ---------------------------------------------------------------------------------


class Open311Error(exceptions.APIException):
    """One or more errors of the spec's list, with the HTTP status they share."""

    def __init__(self, status_code: int, *descriptions):
        self.status_code = status_code
        self.descriptions = [force_str(d) for d in descriptions]
        super().__init__("; ".join(self.descriptions))


def _flatten(detail, field: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [text for key, value in detail.items() for text in _flatten(value, key)]
    if isinstance(detail, list | tuple):
        return [text for value in detail for text in _flatten(value, field)]
    text = force_str(detail)
    return [f"{field}: {text}" if field and field not in ("__all__", "non_field_errors") else text]


def _error_list(exc) -> tuple[int, list[str], dict]:
    headers = {}
    if isinstance(exc, Open311Error):
        return exc.status_code, exc.descriptions, headers
    if isinstance(exc, Http404):
        return 404, [force_str(_("Not found."))], headers
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 60)
        headers["Retry-After"] = str(wait)
        message = _("Too many requests: try again in %(seconds)d seconds.")
        return 429, [force_str(message) % {"seconds": wait}], headers
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated | exceptions.PermissionDenied):
        return 403, _flatten(exc.detail), headers
    if isinstance(exc, exceptions.APIException):
        return exc.status_code, _flatten(exc.detail), headers
    raise exc


# --- Request helpers ------------------------------------------------------------------------


def refuse_nul_characters(request) -> None:
    """A NUL character in a parameter is a 400 here: PostgreSQL takes none, neither in a query
    (where the lookup of a reference or a region would fail) nor in a stored text."""
    given = [request.query_params]
    if request.method == "POST" and hasattr(request.data, "lists"):
        given.append(request.data)
    for values in given:
        for name, items in values.lists():
            texts = [name, *(item for item in items if isinstance(item, str))]
            if any("\x00" in text for text in texts):
                message = force_str(_("Null characters are not allowed."))
                raise Open311Error(400, f"{name.replace(chr(0), '')}: {message}")


def jurisdiction(request) -> Region | None:
    """`jurisdiction_id`: the region's KATO code or short code (AKT); optional, unknown is 404."""
    value = (request.query_params.get("jurisdiction_id") or "").strip()
    if not value and request.method == "POST" and hasattr(request.data, "get"):
        value = (request.data.get("jurisdiction_id") or "").strip()
    if not value:
        return None
    region = Region.objects.filter(Q(kato=value) | Q(short_code__iexact=value)).first()
    if region is None:
        raise Open311Error(404, _("jurisdiction_id %(value)s was not found.") % {"value": value})
    return region


def _comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _parse_w3(name: str, value: str, zone=None) -> datetime:
    """A date and time of a query; without an offset it is read in `zone` (the region's)."""
    parsed = None
    try:
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime.combine(day, time.min)
    except ValueError:
        parsed = None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, zone)
    if parsed is None or not _within_calendar(parsed):
        raise Open311Error(
            400, _("%(name)s must be an ISO 8601 date and time, e.g. 2025-01-01T00:00:00Z.") % {"name": name}
        )
    return parsed


def _within_calendar(moment: datetime) -> bool:
    """The database compares in UTC: 0001-01-01T00:00+05:00 is a valid text but no UTC moment."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return False
    return True


def _shifted(moment: datetime, delta: timedelta) -> datetime:
    """moment + delta, held at the first or last moment of the calendar."""
    try:
        return moment + delta
    except OverflowError:
        return (datetime.max if delta > timedelta(0) else datetime.min).replace(tzinfo=UTC)


def _coordinate(name: str, value: str, limit: int) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        raise Open311Error(400, _("%(name)s must be a number of degrees (WGS84).") % {"name": name})
    return number.quantize(Decimal("0.000001"))


_ATTRIBUTE_KEY = re.compile(r"^attribute\[(?P<code>[^\]]+)\](?P<many>\[\])?$")


def parse_attributes(data) -> dict:
    """`attribute[code]=value`, and `attribute[code][]=a&attribute[code][]=b` for a multivaluelist."""
    attributes: dict = {}
    for key in data:
        match = _ATTRIBUTE_KEY.match(key)
        if not match:
            continue
        values = list(data.getlist(key)) if hasattr(data, "getlist") else [data[key]]
        code = match["code"]
        if match["many"]:
            attributes.setdefault(code, [])
            if isinstance(attributes[code], list):
                attributes[code].extend(values)
        else:
            attributes[code] = values[-1] if values else ""
    return attributes


def service_notice(report: Report, zone=None) -> str | None:
    if report.status in CLOSED_STATUSES:
        return None
    if report.body_id and report.deadline_at:
        return force_str(
            _("%(body)s must answer by %(deadline)s.")
            % {
                "body": report.body.name,
                "deadline": date_format(timezone.localtime(report.deadline_at, zone), "DATETIME_FORMAT"),
            }
        )
    return force_str(_("The district prosecutor's office will send the report to the responsible body."))


def public_request(report: Report, zones: dict | None = None) -> dict:
    """A report as anybody may see it (never called for a sensitive one); its dates in its region's
    zone (`zones`: accounts.zones.zones_by_region(), read once for a list)."""
    zone = (zones if zones is not None else zones_by_region()).get(report.region_id) or default_zone()
    updated = max(d for d in (report.submitted_at, report.routed_at, report.answered_at, report.closed_at) if d)

    def coarse(value):
        return None if value is None else float(round(value, PUBLIC_COORDINATE_PLACES))

    return {
        "service_request_id": report.reference,
        "status": open311_status(report.status),
        "status_notes": force_str(report.get_status_display()),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": None,
        "agency_responsible": report.body.name if report.body_id else None,
        "service_notice": service_notice(report, zone),
        "requested_datetime": w3_datetime(report.submitted_at, zone),
        "updated_datetime": w3_datetime(updated, zone),
        "expected_datetime": w3_datetime(report.deadline_at, zone),
        "address": report.district.name if report.district_id else None,
        "lat": coarse(report.latitude),
        "long": coarse(report.longitude),
        "media_url": None,
    }


def public_reports():
    return (
        Report.objects.public()
        .filter(category__sensitive=False)
        .select_related("category", "body", "district")
        .order_by("-submitted_at", "-id")
    )


# --- Views ----------------------------------------------------------------------------------


class Open311View(APIView):
    """Common ground: key by `api_key`, JSON or XML by suffix, errors as the spec's list."""

    authentication_classes = [Open311ApiKeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ApiRateThrottle]
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser]
    open311_root = "service_requests"
    # Documented in the Open311 schema only (signals/open311_schema.py), by this name.
    schema = open311_schema.Open311AutoSchema()
    open311_operation = ""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_nul_characters(request)

    def handle_exception(self, exc):
        status_code, descriptions, headers = _error_list(exc)
        errors = [{"code": status_code, "description": text} for text in descriptions]
        return Response(errors, status=status_code, headers=headers)


class DiscoveryView(Open311View):
    open311_operation = "discovery"
    open311_root = "discovery"

    @open311_schema.DISCOVERY
    def get(self, request, format=None):
        url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"format": "json"})).rsplit("/", 1)[0]
        changeset = local_today(sole_region_zone()).isoformat() + " 00:00"
        return Response(
            {
                "changeset": changeset,
                "contact": force_str(_("Write to the prosecutor's office that runs this service.")),
                "key_service": force_str(_("API keys are issued by the administrators of this service.")),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": url,
                        "changeset": changeset,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            }
        )


class ServiceListView(Open311View):
    open311_operation = "services"
    open311_root = "services"

    @open311_schema.SERVICES
    def get(self, request, format=None):
        jurisdiction(request)
        has_attributes = CategoryAttribute.objects.filter(category=OuterRef("pk"))
        categories = Category.objects.filter(is_active=True).annotate(has_attributes=Exists(has_attributes))
        return Response(
            [
                {
                    "service_code": category.code,
                    "service_name": category.name,
                    "description": category.description,
                    "metadata": category.has_attributes,
                    "type": "realtime",
                    "keywords": ", ".join(category.keywords.replace(",", " ").split()),
                    "group": force_str(category.get_body_type_display()),
                }
                for category in categories
            ]
        )


DATATYPE_DESCRIPTIONS = {
    CategoryAttribute.Datatype.NUMBER: _("A number, e.g. 12 or 3.5."),
    CategoryAttribute.Datatype.DATETIME: _("A date and time in ISO 8601, e.g. 2025-03-01T14:30:00+05:00."),
    CategoryAttribute.Datatype.MULTI: _("One or more of the keys below."),
    CategoryAttribute.Datatype.SINGLE: _("One of the keys below."),
}
LIST_DATATYPES = (CategoryAttribute.Datatype.SINGLE, CategoryAttribute.Datatype.MULTI)


def _attribute_description(attribute: CategoryAttribute) -> str:
    return localized(attribute, "description")


def service_definition(category: Category) -> dict:
    attributes = []
    for position, attribute in enumerate(category.attributes.all(), start=1):
        item = {
            "variable": True,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": force_str(DATATYPE_DESCRIPTIONS.get(attribute.datatype, "")) or None,
            "order": position,
            "description": _attribute_description(attribute),
        }
        if attribute.datatype in LIST_DATATYPES:
            item["values"] = [{"key": v.get("key"), "name": localized_value_name(v)} for v in attribute.values]
        attributes.append(item)
    return {"service_code": category.code, "attributes": attributes}


class ServiceDefinitionView(Open311View):
    open311_operation = "service"
    open311_root = "service_definition"

    @open311_schema.SERVICE_DEFINITION
    def get(self, request, service_code, format=None):
        jurisdiction(request)
        category = Category.objects.filter(code=service_code, is_active=True).prefetch_related("attributes").first()
        if category is None:
            raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": service_code})
        return Response(service_definition(category))


class RequestsView(Open311View):
    """GET requests (the public list) and POST requests (create, with an API key)."""

    open311_operation = "requests"

    @open311_schema.REQUESTS_LIST
    def get(self, request, format=None):
        region = jurisdiction(request)
        params = request.query_params
        reports = public_reports()
        if region is not None:
            reports = reports.filter(region=region)
        ids = _comma_list(params.get("service_request_id"))
        # service_request_id "overrides all other arguments".
        reports = reports.filter(reference__in=ids[:MAX_REQUESTS]) if ids else self._filtered(reports, params, region)
        zones = zones_by_region()
        return Response([public_request(report, zones) for report in reports[:MAX_REQUESTS]])

    def _filtered(self, reports, params, region=None):
        zone = region_zone(region) if region is not None else sole_region_zone()
        codes = _comma_list(params.get("service_code"))
        if codes:
            reports = reports.filter(category__code__in=codes)
        start = _parse_w3("start_date", params["start_date"], zone) if params.get("start_date") else None
        end = _parse_w3("end_date", params["end_date"], zone) if params.get("end_date") else None
        if start and end and end < start:
            raise Open311Error(400, _("end_date must not be before start_date."))
        if start and end and end - start > DEFAULT_SPAN:
            raise Open311Error(400, _("The range from start_date to end_date may not span more than 90 days."))
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = _shifted(end, -DEFAULT_SPAN)
        if end is None:
            end = _shifted(start, DEFAULT_SPAN)
        reports = reports.filter(submitted_at__gte=start, submitted_at__lte=end)
        statuses = _comma_list(params.get("status"))
        if statuses:
            unknown = [s for s in statuses if s not in ("open", "closed")]
            if unknown:
                raise Open311Error(400, _("status must be open or closed (or both, comma separated)."))
            wanted = set()
            if "open" in statuses:
                wanted |= OPEN_STATUSES
            if "closed" in statuses:
                wanted |= CLOSED_STATUSES
            reports = reports.filter(status__in=wanted)
        return reports

    @open311_schema.REQUEST_CREATE
    def post(self, request, format=None):
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        if api_key is None:
            raise Open311Error(403, _("api_key is required to create a service request."))
        region = jurisdiction(request)
        data = request.data
        code = (data.get("service_code") or "").strip()
        if not code:
            raise Open311Error(400, _("service_code was not provided."))
        category = Category.objects.filter(code=code, is_active=True).first()
        if category is None:
            raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
        location = self._location(data)
        idempotency_key = request.headers.get("Idempotency-Key", "").strip()
        if len(idempotency_key) > 100:
            raise Open311Error(400, _("The Idempotency-Key header may have at most 100 characters."))
        try:
            submission = services.report_submit(
                actor=None,
                category=category,
                description=(data.get("description") or "").strip(),
                channel=Report.Channel.OPEN311,
                region=region,
                attributes=parse_attributes(data),
                contact=self._contact(data),
                api_key=api_key,
                idempotency_key=idempotency_key,
                **location,
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            raise Open311Error(400, *_flatten(detail)) from None
        report = submission.report
        body = [
            {
                "service_request_id": report.reference,
                "service_notice": service_notice(report, report_zone(report)),
                "account_id": None,
            }
        ]
        return Response(body, status=status.HTTP_200_OK)

    def _location(self, data) -> dict:
        lat, long = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
        address = (data.get("address_string") or "").strip()
        address_id = (data.get("address_id") or "").strip()
        if bool(lat) != bool(long):
            raise Open311Error(400, _("lat and long must be sent together."))
        if not (lat or address or address_id):
            raise Open311Error(400, _("A location is required: lat and long, address_string or address_id."))
        location: dict = {"address": address or (f"address_id {address_id}" if address_id else "")}
        location["address"] = location["address"][:300]
        if lat:
            location["latitude"] = _coordinate("lat", lat, 90)
            location["longitude"] = _coordinate("long", long, 180)
        return location

    def _contact(self, data) -> dict | None:
        name = " ".join(p for p in ((data.get("first_name") or "").strip(), (data.get("last_name") or "").strip()) if p)
        phone = (data.get("phone") or "").strip()
        email = (data.get("email") or "").strip()
        if not (name or phone or email):
            return None
        return {"name": name[:200], "phone": phone[:40], "email": email[:254]}


class RequestDetailView(Open311View):
    open311_operation = "request"

    @open311_schema.REQUEST
    def get(self, request, service_request_id, format=None):
        region = jurisdiction(request)
        reports = public_reports()
        if region is not None:
            reports = reports.filter(region=region)
        report = reports.filter(reference=service_request_id).first()
        if report is None:
            raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": service_request_id})
        return Response([public_request(report)])


class TokenView(Open311View):
    """Our requests are created synchronously (POST answers with the service_request_id), so no
    token is handed out by POST; the private tracking token a reporter holds is accepted here."""

    open311_operation = "token"

    @open311_schema.TOKEN
    def get(self, request, token, format=None):
        jurisdiction(request)
        report = services.find_report_by_token(token)
        if report is None:
            raise Open311Error(404, _("The token was not found."))
        return Response([{"service_request_id": report.reference, "token": token}])
