"""What every form that hands its input to a service shares."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError

T = TypeVar("T")


class ServiceErrorsMixin:
    """A service's refusal put back on the form: each error on the field it names, when the form
    has that field (`service_error_fields` renames the service's keys to the form's), the others
    above the form. The services check everything; the forms only check the input's shape."""

    service_error_fields: dict[str, str] = {}

    def service_error_field(self, key: str) -> str | None:
        name = self.service_error_fields.get(key, key)
        return name if name in self.fields else None

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            self.add_error(self.service_error_field(key), errors)


def written_through(form, write: Callable[[dict], T]) -> T | None:
    """What `write(form.cleaned_data)` returned, the service's record; None when the form is not
    valid or the service refused, its refusal then put on the form (`add_service_errors`) for the
    page to show again. The service must return something on success (the record it wrote)."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        form.add_service_errors(error)
        return None
