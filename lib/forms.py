"""What every form that hands its input to a service shares."""

from django.core.exceptions import ValidationError


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
