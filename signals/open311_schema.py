"""The OpenAPI schema of Open311 GeoReport v2, served at /open311/v2/schema/ (the REST API's,
/api/schema/, leaves Open311 out).

The views (signals/open311.py) write their answers as dicts with the specification's names; the
serializers here only describe them, and `make test` fuzzes both schemas against a live server
(signals/tests/test_api_fuzz.py), so a description that drifts from an answer fails there. Each
resource has a .json and an .xml URL (signals/open311_urls.py): one operation each, answering
the media type its suffix names.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from signals.models import CategoryAttribute
from signals.references import REFERENCE_PATTERN

SCHEMA_SETTINGS = {
    "TITLE": "Tartip Open311 GeoReport v2",
    "DESCRIPTION": (
        "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): services are the offence categories, "
        "service requests the reports. Reading is public and shows no personal data; creating a request "
        "needs an API key. Every resource answers JSON at its .json URL and the specification's XML at its "
        ".xml URL; errors are the specification's list of code and description."
    ),
    "VERSION": "v2",
    "PREPROCESSING_HOOKS": ["signals.open311_schema.only_open311"],
    # Errors are lists too (the specification's `errors`), not only the 200 answers.
    "ENABLE_LIST_MECHANICS_ON_NON_2XX": True,
}


class Open311AutoSchema(AutoSchema):
    """One operation per URL: `requests.json` answers application/json, `requests.xml` text/xml."""

    def _format(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def map_renderers(self, attribute: str) -> list:
        return [getattr(r, attribute) for r in self.view.get_renderers() if r.format == self._format()]

    def get_operation_id(self) -> str:
        return f"{self.view.open311_operation}_{self.method.lower()}_{self._format()}"

    def get_tags(self) -> list[str]:
        return ["open311"]


def _is_open311(endpoint) -> bool:
    _path, _regex, _method, callback = endpoint
    return isinstance(getattr(callback.cls, "schema", None), Open311AutoSchema)


def only_open311(endpoints):
    """Preprocessing hook of the Open311 schema."""
    return [endpoint for endpoint in endpoints if _is_open311(endpoint)]


def without_open311(endpoints):
    """Preprocessing hook of the REST API's schema."""
    return [endpoint for endpoint in endpoints if not _is_open311(endpoint)]


class Open311ApiKeySchema(OpenApiAuthenticationExtension):
    target_class = "accounts.api_keys.Open311ApiKeyAuthentication"
    name = "Open311ApiKey"
    priority = 1  # before the REST API's ApiKey, which matches this subclass too

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "query",
            "name": "api_key",
            "description": "As the specification has it: `api_key` in the query, or a form field of a POST. "
            "The REST API's headers (`Authorization: Api-Key <key>`, `X-Api-Key`) are accepted too.",
        }


# --- answers ------------------------------------------------------------------------------------


class ErrorItem(serializers.Serializer):
    code = serializers.IntegerField(help_text="The HTTP status.")
    description = serializers.CharField(help_text="What went wrong, in the language of Accept-Language.")


class DiscoveryEndpoint(serializers.Serializer):
    specification = serializers.URLField()
    url = serializers.URLField(help_text="The base URL of the resources.")
    changeset = serializers.CharField()
    type = serializers.ChoiceField(choices=["production", "test"])
    formats = serializers.ListField(child=serializers.CharField())


class Discovery(serializers.Serializer):
    changeset = serializers.CharField(help_text="The date of the last change, e.g. 2025-03-01 00:00.")
    contact = serializers.CharField()
    key_service = serializers.CharField(help_text="How to get an API key.")
    endpoints = DiscoveryEndpoint(many=True)


class Service(serializers.Serializer):
    service_code = serializers.CharField(help_text="The category code.")
    service_name = serializers.CharField()
    description = serializers.CharField()
    metadata = serializers.BooleanField(help_text="True when the service has attributes (extra fields).")
    type = serializers.ChoiceField(choices=["realtime"])
    keywords = serializers.CharField(help_text="Comma separated.")
    group = serializers.CharField(help_text="The kind of body that acts on such requests.")


class AttributeValue(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class ServiceAttribute(serializers.Serializer):
    variable = serializers.BooleanField()
    code = serializers.CharField()
    datatype = serializers.ChoiceField(choices=CategoryAttribute.Datatype.choices)
    required = serializers.BooleanField()
    datatype_description = serializers.CharField(allow_null=True)
    order = serializers.IntegerField()
    description = serializers.CharField(help_text="The question, in the language of Accept-Language.")
    values = AttributeValue(many=True, required=False, help_text="Only for singlevaluelist and multivaluelist.")


class ServiceDefinition(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = ServiceAttribute(many=True)


class ServiceRequest(serializers.Serializer):
    """A report as anybody may see it: no description, contact, photo or typed address."""

    service_request_id = serializers.CharField(help_text="The report's public reference.")
    status = serializers.ChoiceField(choices=["open", "closed"])
    status_notes = serializers.CharField(help_text="The report's own status, in words.")
    service_name = serializers.CharField()
    service_code = serializers.CharField()
    description = serializers.CharField(allow_null=True, help_text="Always null: it may name a person.")
    agency_responsible = serializers.CharField(allow_null=True)
    service_notice = serializers.CharField(allow_null=True)
    requested_datetime = serializers.DateTimeField()
    updated_datetime = serializers.DateTimeField()
    expected_datetime = serializers.DateTimeField(allow_null=True, help_text="The answer's deadline.")
    address = serializers.CharField(allow_null=True, help_text="The district's name.")
    lat = serializers.FloatField(allow_null=True, help_text="Rounded to about 100 m.")
    long = serializers.FloatField(allow_null=True, help_text="Rounded to about 100 m.")
    media_url = serializers.URLField(allow_null=True, help_text="Always null: photos are not public.")


class CreatedRequest(serializers.Serializer):
    service_request_id = serializers.CharField()
    service_notice = serializers.CharField(allow_null=True)
    account_id = serializers.CharField(allow_null=True)


class TokenAnswer(serializers.Serializer):
    service_request_id = serializers.CharField()
    token = serializers.CharField()


# --- inputs -------------------------------------------------------------------------------------


class ServiceRequestInput(serializers.Serializer):
    """POST requests: form fields as the specification names them."""

    api_key = serializers.CharField(
        required=False, allow_blank=True, help_text="Or in the query, or a header (see security)."
    )
    jurisdiction_id = serializers.CharField(
        required=False, allow_blank=True, help_text="The region's KATO or short code (AKT)."
    )
    service_code = serializers.CharField(help_text="A category code of `services`.")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90, help_text="With long.")
    long = serializers.FloatField(required=False, min_value=-180, max_value=180, help_text="With lat.")
    address_string = serializers.CharField(
        required=False, allow_blank=True, help_text="lat and long, or an address, is required."
    )
    address_id = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(max_length=4000, help_text="What happened.")
    email = serializers.CharField(
        required=False, allow_blank=True, help_text="Kept for the prosecutor's office, never shown."
    )
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    device_id = serializers.CharField(required=False, allow_blank=True, help_text="Ignored.")
    account_id = serializers.CharField(required=False, allow_blank=True, help_text="Ignored.")
    media_url = serializers.CharField(
        required=False, allow_blank=True, help_text="Ignored: photos are not taken by URL."
    )


# --- parameters and operations ------------------------------------------------------------------


def _errors(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorItem(many=True), description=description)


JURISDICTION = OpenApiParameter(
    "jurisdiction_id", OpenApiTypes.STR, description="The region's KATO or short code (AKT); optional."
)
BAD_KEY = _errors("A wrong, expired or revoked api_key.")
UNKNOWN_JURISDICTION = "an unknown jurisdiction_id"
TOO_MANY = _errors("Too many requests from one address (a key has its own limit): see Retry-After.")
BAD_INPUT = "a parameter holding a NUL character"
# Category codes and tracking tokens (URL-safe base64) alike.
CODE_PATTERN = r"^[-_A-Za-z0-9]+$"


def _operation(summary: str, answer, *, not_found: str = "", bad_input: str = BAD_INPUT, **kwargs):
    """The answers of an operation: 200, and the error lists of the statuses it may give."""
    responses = {200: answer, 400: _errors(f"Bad input: {bad_input}."), 403: BAD_KEY}
    if not_found:
        responses[404] = _errors(f"Not found: {not_found}.")
    if "request" in kwargs:
        responses[415] = _errors("The body is neither application/x-www-form-urlencoded nor multipart/form-data.")
    responses[429] = TOO_MANY
    return extend_schema(summary=summary, responses=responses, **kwargs)


DISCOVERY = _operation("Endpoints and formats", Discovery, description="The discovery document.")
SERVICES = _operation(
    "Services: the active offence categories",
    Service(many=True),
    not_found=UNKNOWN_JURISDICTION,
    parameters=[JURISDICTION],
)
SERVICE_DEFINITION = _operation(
    "A service's attributes (extra fields)",
    ServiceDefinition,
    not_found=f"an unknown or inactive service_code, {UNKNOWN_JURISDICTION}",
    parameters=[
        JURISDICTION,
        OpenApiParameter("service_code", {"type": "string", "pattern": CODE_PATTERN}, OpenApiParameter.PATH),
    ],
)
REQUESTS_LIST = _operation(
    "Public service requests, newest first (at most 1,000)",
    ServiceRequest(many=True),
    not_found=UNKNOWN_JURISDICTION,
    bad_input=f"dates that do not parse or are out of order, a span over 90 days, an unknown status, {BAD_INPUT}",
    description="Sensitive categories never appear. Without dates: the last 90 days.",
    parameters=[
        JURISDICTION,
        OpenApiParameter(
            "service_request_id",
            OpenApiTypes.STR,
            description="References, comma separated: when given, every other filter is ignored.",
        ),
        OpenApiParameter("service_code", OpenApiTypes.STR, description="Service codes, comma separated."),
        OpenApiParameter("start_date", OpenApiTypes.DATETIME, description="ISO 8601 (a date alone is its midnight)."),
        OpenApiParameter("end_date", OpenApiTypes.DATETIME, description="At most 90 days after start_date."),
        OpenApiParameter(
            "status", str, enum=["open", "closed"], many=True, style="form", explode=False, description="Or both."
        ),
    ],
)
REQUEST_CREATE = _operation(
    "Create a service request (a report)",
    CreatedRequest(many=True),
    not_found=f"an unknown or inactive service_code, {UNKNOWN_JURISDICTION}",
    bad_input="a missing service_code or location, a missing description, lat without long, an unknown "
    f"attribute or a wrong value, an Idempotency-Key over 100 characters, {BAD_INPUT}",
    description="Needs an API key (403 without one). Extra fields as attribute[code]=value, "
    "attribute[code][]=a&attribute[code][]=b for a multivaluelist. An Idempotency-Key header makes a "
    "retried POST answer with the request created first.",
    request=ServiceRequestInput,
    auth=[{"Open311ApiKey": []}],
    parameters=[
        OpenApiParameter(
            "Idempotency-Key", {"type": "string", "maxLength": 100}, OpenApiParameter.HEADER, description="Optional."
        )
    ],
)
REQUEST = _operation(
    "One public service request",
    ServiceRequest(many=True),
    not_found=f"an unknown reference, a sensitive report, {UNKNOWN_JURISDICTION}",
    description="A list of one, as the specification has it.",
    parameters=[
        JURISDICTION,
        OpenApiParameter(
            "service_request_id",
            {"type": "string", "pattern": REFERENCE_PATTERN},
            OpenApiParameter.PATH,
            description="The report's public reference, e.g. AKT-2025-000123.",
        ),
    ],
)
TOKEN = _operation(
    "The request a tracking token follows",
    TokenAnswer(many=True),
    not_found=f"an unknown token, {UNKNOWN_JURISDICTION}",
    description="The reporter's private tracking token (POST answers with the id at once: no token is given).",
    parameters=[
        JURISDICTION,
        OpenApiParameter("token", {"type": "string", "pattern": CODE_PATTERN}, OpenApiParameter.PATH),
    ],
)
