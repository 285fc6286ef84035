"""REST API of signals under /api/v1/: categories, submitting reports, reading them in scope.

Callers: an integrated system with an API key (`Authorization: Api-Key <key>` or `X-Api-Key`),
scoped to its organisation; or a logged-in user's session (the second factor passed where the
role needs it), scoped by `Report.objects.for_user`. Reporters' contacts are shown to
prosecutors only, in the detail of one report, and each such view is audited; API keys never
get them. An `Idempotency-Key` header makes a retried POST answer 200 with the first report.
"""

import functools
from datetime import UTC
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.encoding import smart_str
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_in_scope_or_404
from accounts.api_keys import ApiKeyAuthentication, ApiRateThrottle
from accounts.audit import audit_record
from accounts.lookups import district_by_kato
from accounts.models import ApiKey, AuditEvent, District
from accounts.permissions import IsVerifiedUser
from lib.i18n import localized
from lib.openapi import field_errors, refusal
from signals import services
from signals.categories import get_category
from signals.models import Category, CategoryAttribute, Report, ReporterContact, ReportEvent
from signals.policy import api_key_reports, may_see_reporter
from signals.references import REFERENCE_PATTERN, is_reference

# --- Authentication, permissions, scope -----------------------------------------------------


class ApiKeySchema(OpenApiAuthenticationExtension):
    target_class = "accounts.api_keys.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>` (or the key alone in an `X-Api-Key` header).",
        }


class ApiKeyOrVerifiedUser(BasePermission):
    message = _("Send an API key, or log in (with the second factor where your role needs it).")

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey) or IsVerifiedUser().has_permission(request, view)


class ApiKeyOrVerifiedStaff(ApiKeyOrVerifiedUser):
    message = _("Reports are submitted here by integrated systems with an API key or by staff.")

    def has_permission(self, request, view):
        if isinstance(request.auth, ApiKey):
            return True
        return super().has_permission(request, view) and request.user.is_staff_role


def scoped_reports(request):
    if isinstance(request.auth, ApiKey):
        return api_key_reports(request.auth)
    return Report.objects.for_user(request.user)


class ApiView(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [ApiKeyOrVerifiedUser]
    throttle_classes = [ApiRateThrottle]
    # JSON only: a report's contact and extra fields are nested, which a form cannot carry.
    parser_classes = [JSONParser]


# The refusals the schema documents. No endpoint answers 401: neither the key nor the session
# offers a WWW-Authenticate challenge, so DRF answers a missing or wrong credential with 403.
WRONG_KEY = refusal("A wrong, expired or revoked API key was sent.")
NO_CALLER = refusal(
    "No API key and no session (or the second factor is not passed), or a wrong, expired or revoked key."
)
TOO_MANY = refusal("The rate limit is reached (the key's own, or the anonymous one per address): see Retry-After.")


# --- Categories -----------------------------------------------------------------------------


def _localized(value: dict, field: str) -> str:
    return localized(value, field) or str(value.get(field) or value.get("key", ""))


class ChoiceOutput(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class AttributeOutput(serializers.Serializer):
    code = serializers.CharField()
    datatype = serializers.ChoiceField(choices=CategoryAttribute.Datatype.choices)
    required = serializers.BooleanField()
    order = serializers.IntegerField()
    description = serializers.CharField(help_text="The question, in the requested language.")
    values = ChoiceOutput(many=True, help_text="The choices of a singlevaluelist or multivaluelist.")


class CategoryOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language asked for by Accept-Language.")
    description = serializers.CharField()
    body_type = serializers.CharField(help_text="The type of body that must act on such reports.")
    deadline_days = serializers.IntegerField(allow_null=True, help_text="Answer deadline in business days.")
    deadline_hours = serializers.IntegerField(allow_null=True, help_text="Answer deadline in hours (urgent ones).")
    requires_photo = serializers.BooleanField()
    requires_location = serializers.BooleanField()
    sensitive = serializers.BooleanField(help_text="Never public.")
    attributes = AttributeOutput(many=True)


def category_data(category: Category) -> dict:
    def attribute_data(attribute) -> dict:
        return {
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "order": attribute.order,
            "description": _localized(
                {f"description_{c}": getattr(attribute, f"description_{c}") for c in ("kk", "ru", "en")},
                "description",
            ),
            "values": [{"key": v.get("key", ""), "name": _localized(v, "name")} for v in attribute.values or []],
        }

    return {
        "code": category.code,
        "name": category.name,
        "description": category.description,
        "body_type": category.body_type,
        "deadline_days": category.deadline_days,
        "deadline_hours": category.deadline_hours,
        "requires_photo": category.requires_photo,
        "requires_location": category.requires_location,
        "sensitive": category.sensitive,
        "attributes": [attribute_data(a) for a in category.attributes.all()],
    }


class CategoryListView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: CategoryOutput(many=True), 403: WRONG_KEY, 429: TOO_MANY},
        operation_id="categories_list",
        summary="Offence categories with their extra fields",
        description="Public. Names and questions in the language of the Accept-Language header (kk, ru, en).",
        auth=[],
    )
    def get(self, request):
        categories = Category.objects.filter(is_active=True).prefetch_related("attributes")
        return Response(CategoryOutput([category_data(c) for c in categories], many=True).data)


# --- Reports: output ------------------------------------------------------------------------


class ReportOutput(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Report.Status.choices)
    category = serializers.CharField(source="category.code")
    channel = serializers.ChoiceField(choices=Report.Channel.choices)
    district = serializers.CharField(source="district.kato", allow_null=True, help_text="KATO code")
    body = serializers.CharField(source="body.code", allow_null=True, help_text="The responsible body's code")
    body_name = serializers.CharField(source="body.name", allow_null=True)
    description = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=False)
    attributes = serializers.DictField()
    sensitive = serializers.BooleanField()
    overdue = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    routed_at = serializers.DateTimeField(allow_null=True)
    deadline_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    duplicate_of = serializers.CharField(source="duplicate_of.reference", allow_null=True)
    rejection_reason = serializers.CharField()
    public_answer = serializers.CharField()


class ContactOutput(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    consent_at = serializers.DateTimeField()


class ReportDetailOutput(ReportOutput):
    contact = ContactOutput(
        allow_null=True, help_text="The reporter's contacts: for prosecutors only, and every view is audited."
    )


class ReportCreatedOutput(ReportOutput):
    tracking_token = serializers.CharField(
        allow_null=True,
        help_text="The reporter's private tracking token: given once, on creation (null on a retried POST).",
    )


# --- Reports: submit ------------------------------------------------------------------------


class ContactInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(help_text="The reporter agreed that the prosecutor's office may contact them.")

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError(_("Contacts are kept only with the reporter's consent."))
        return value


class CachedSlugField(serializers.SlugRelatedField):
    """A SlugRelatedField answered from a per-process cache (lib.cache) instead of a query: the
    same choices (the queryset, also read by the schema) and the same error messages."""

    def __init__(self, lookup, **kwargs):
        self.lookup = lookup
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid")
        found = self.lookup(str(data))
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        return found


def _active_category(code: str) -> Category | None:
    category = get_category(code)
    return category if category is not None and category.is_active else None


class ReportInput(serializers.Serializer):
    category = CachedSlugField(_active_category, slug_field="code", queryset=Category.objects.filter(is_active=True))
    description = serializers.CharField(max_length=4000)
    district = CachedSlugField(
        district_by_kato,
        slug_field="kato",
        queryset=District.objects.all(),
        required=False,
        allow_null=True,
        help_text="KATO code",
    )
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    attributes = serializers.DictField(required=False, default=dict, help_text="Extra fields by attribute code.")
    contact = ContactInput(required=False, allow_null=True)

    def validate_attributes(self, value):
        # PostgreSQL stores no NUL character (text or jsonb) and refuses the whole insert.
        if _holds_nul(value):
            raise serializers.ValidationError(_("Null characters are not allowed."))
        return value

    def validate(self, data):
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise serializers.ValidationError({"longitude": _("Send latitude and longitude together.")})
        return data


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 6)))


@functools.cache
def _shared(serializer_class) -> serializers.Serializer:
    """One instance per process of a serializer without context, for the hot POST: DRF deep-copies
    every declared field each time a serializer is made, which cost more than the validation
    itself. run_validation() and to_representation() keep nothing on the instance, so the
    requests and threads of a process may share it."""
    return serializer_class()


def _valid_input(data) -> dict:
    """ReportInput's validated data, or its errors raised as by is_valid(raise_exception=True)."""
    try:
        return _shared(ReportInput).run_validation(data)
    except serializers.ValidationError as error:
        if isinstance(error.detail, dict):
            raise  # field errors: the same as is_valid gives
    # A body that is no object at all: is_valid phrases that error itself ("No data provided").
    given = ReportInput(data=data)
    given.is_valid(raise_exception=True)
    return given.validated_data


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "maxLength": 100},
    OpenApiParameter.HEADER,
    description="Any unique string (at most 100 characters): a retried POST with the same key answers 200 with "
    "the report created first, even when both copies arrive at the same moment.",
)


class ReportCreateView(ApiView):
    @extend_schema(
        request=ReportInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: ReportCreatedOutput,
            200: OpenApiResponse(ReportCreatedOutput, description="A retry: the report created first."),
            400: field_errors(
                "Field errors: {field: [messages]}, in the Accept-Language language; {detail} for a body that is "
                "no JSON; {idempotency_key} for an Idempotency-Key over 100 characters."
            ),
            403: refusal("No API key and no staff session, or a wrong, expired or revoked key."),
            415: refusal("The body is not application/json."),
            429: TOO_MANY,
        },
        operation_id="reports_create",
        summary="Submit a report",
    )
    def post(self, request):
        idempotency_key = request.headers.get("Idempotency-Key", "").strip()
        if len(idempotency_key) > 100:
            return Response(
                {"idempotency_key": [_("The Idempotency-Key header may have at most 100 characters.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = _valid_input(request.data)
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        contact = data.get("contact")
        try:
            submission = services.report_submit(
                actor=None if api_key else request.user,
                category=data["category"],
                description=data["description"],
                channel=Report.Channel.API,
                district=data.get("district"),
                latitude=_coordinate(data.get("latitude")),
                longitude=_coordinate(data.get("longitude")),
                address=data.get("address", ""),
                attributes=data.get("attributes") or {},
                contact={k: contact[k] for k in ("name", "phone", "email")} if contact else None,
                api_key=api_key,
                idempotency_key=idempotency_key,
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        report = submission.report
        output = _shared(ReportOutput).to_representation(report)
        output["tracking_token"] = submission.tracking_token if submission.created else None
        headers = {"Location": reverse("api:report", kwargs={"reference": report.reference})}
        code = status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK
        return Response(output, status=code, headers=headers)


# --- Reports: read --------------------------------------------------------------------------


class ReportPagination(CursorPagination):
    ordering = ("-submitted_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        """DRF's decoding, and the position checked too: DRF filters by whatever text a cursor
        carries, and a date that does not parse would fail in the query (500), not here (404)."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not _parses_as_moment(cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor


def _parses_as_moment(text: str) -> bool:
    """What the cursors of this list carry: a submission time with its offset, within the calendar."""
    try:
        moment = parse_datetime(text)
        if moment is None or timezone.is_naive(moment):
            return False
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


class ReportFilter(serializers.Serializer):
    status = serializers.CharField(required=False, help_text="One status or several, comma separated.")
    # From the per-process caches, not a query: a query with the text given would also fail on
    # PostgreSQL (a 500) for a NUL character, which a made-up code may hold.
    category = CachedSlugField(get_category, slug_field="code", queryset=Category.objects.all(), required=False)
    district = CachedSlugField(
        district_by_kato, slug_field="kato", queryset=District.objects.all(), required=False, help_text="KATO code"
    )
    updated_since = serializers.DateTimeField(required=False, help_text="Reports with any change since then.")

    def validate_status(self, value):
        statuses = [part.strip() for part in value.split(",") if part.strip()]
        unknown = [s for s in statuses if s not in Report.Status.values]
        if unknown:
            raise serializers.ValidationError(_("Unknown status: %(statuses)s.") % {"statuses": ", ".join(unknown)})
        return statuses


# `status` in the schema: a list of the known statuses, comma separated (what validate_status reads).
STATUS_FILTER = OpenApiParameter(
    "status",
    str,
    enum=Report.Status.values,
    many=True,
    style="form",
    explode=False,
    description="One status or several, comma separated (status=routed,accepted); an unknown one is a 400.",
)
CURSOR = OpenApiParameter(
    "cursor", OpenApiTypes.STR, description="The `next` or `previous` link's cursor; any other value is a 404."
)
PAGE_SIZE = OpenApiParameter(
    "page_size",
    {"type": "integer", "minimum": 1},
    description="Reports per page: 50 unless given, at most 200 (a larger number gives 200).",
)


def _listed(reports):
    return reports.select_related("category", "district", "body", "duplicate_of")


class ReportListView(ApiView):
    pagination_class = ReportPagination

    @extend_schema(
        parameters=[ReportFilter, STATUS_FILTER, CURSOR, PAGE_SIZE],
        responses={
            200: inline_serializer(
                "ReportPage",
                {
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": ReportOutput(many=True),
                },
            ),
            400: field_errors("Invalid filter values: {filter: [messages]}."),
            403: NO_CALLER,
            404: refusal("The cursor is not one this list gave."),
            429: TOO_MANY,
        },
        operation_id="reports_list",
        summary="Reports in the caller's scope, newest first",
    )
    def get(self, request):
        filters = ReportFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        reports = scoped_reports(request)
        if wanted.get("status"):
            reports = reports.filter(status__in=wanted["status"])
        if wanted.get("category"):
            reports = reports.filter(category=wanted["category"])
        if wanted.get("district"):
            reports = reports.filter(district=wanted["district"])
        if wanted.get("updated_since"):
            changes = ReportEvent.objects.filter(report=OuterRef("pk"), at__gte=wanted["updated_since"])
            reports = reports.filter(Exists(changes))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(_listed(reports), request, view=self)
        return paginator.get_paginated_response(ReportOutput(page, many=True).data)


class ReportsView(ReportCreateView, ReportListView):
    """/api/v1/reports/: GET lists (ReportListView), POST submits (ReportCreateView)."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [ApiKeyOrVerifiedStaff()]
        return [ApiKeyOrVerifiedUser()]


REFERENCE = OpenApiParameter(
    "reference",
    {"type": "string", "pattern": REFERENCE_PATTERN},
    OpenApiParameter.PATH,
    description="The report's public reference, e.g. AKT-2025-000123.",
)


class ReportDetailView(ApiView):
    @extend_schema(
        parameters=[REFERENCE],
        responses={
            200: ReportDetailOutput,
            403: NO_CALLER,
            404: refusal("No such report in the caller's scope."),
            429: TOO_MANY,
        },
        operation_id="reports_retrieve",
        summary="One report in the caller's scope",
    )
    def get(self, request, reference):
        if not is_reference(reference):
            raise NotFound
        report = get_in_scope_or_404(request, _listed(scoped_reports(request)), reference=reference)
        data = dict(ReportOutput(report).data)
        data["contact"] = None
        if not isinstance(request.auth, ApiKey) and may_see_reporter(request.user):
            contact = ReporterContact.objects.filter(report=report).first()
            if contact is not None:
                data["contact"] = ContactOutput(contact).data
                audit_record(
                    action=AuditEvent.Action.PERSONAL_DATA_VIEW,
                    actor=request.user,
                    target=f"report:{report.reference}",
                    details={"what": "reporter contact", "via": "api"},
                    request=request._request,
                )
        return Response(data)
