"""The error answers of Django REST framework, as the OpenAPI schemas document them.

Every endpoint documents each status it can answer with the body it then carries (the fuzzer of
`make test` checks both): DRF's refusals are `{"detail": "..."}`, its field errors
`{"field": ["message", ...]}` (a nested serializer's one level deeper).
"""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

_MESSAGES = {"type": "array", "items": {"type": "string"}}

# What a 400 carries: field errors by field name (a nested serializer's field errors one level
# deeper, `non_field_errors` for the whole input), or `detail` when the body is no JSON at all.
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [
            _MESSAGES,
            {"type": "object", "additionalProperties": _MESSAGES},
            {"type": "string"},
        ]
    },
    "example": {"description": ["This field may not be blank."]},
}


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the language of Accept-Language.")


def refusal(description: str) -> OpenApiResponse:
    """A 401, 403, 404, 415 or 429 answer: `{"detail": "..."}`."""
    return OpenApiResponse(ErrorOutput, description=description)


def field_errors(description: str) -> OpenApiResponse:
    """A 400 answer: the input's errors by field."""
    return OpenApiResponse(FIELD_ERRORS_SCHEMA, description=description)
