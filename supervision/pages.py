"""What the record pages share (cases, projects, facilities, highlights, acts): who may read them,
reading a filter's value, the office a user records for and the districts it may choose."""

from django.core.exceptions import PermissionDenied

from accounts.models import District, Organisation
from accounts.scoping import office_district_ids

from .scoping import reads_acts, records_acts

PAGE_SIZE = 25


def require_reader(user) -> None:
    """The prosecutors and the region-wide roles read the records; others get 403."""
    if not reads_acts(user):
        raise PermissionDenied


def choice(value: str, choices) -> str:
    """A filter's value when it is one of `choices`, else none."""
    return value if value in choices else ""


def whole_number(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def own_office(user) -> Organisation | None:
    """The prosecutor's office the user records for, when they may record."""
    if not records_acts(user) or not user.organisation_id:
        return None
    office = user.organisation
    if office.kind != Organisation.Kind.PROSECUTOR_OFFICE or office.region_id is None:
        return None
    return office


def office_districts(office: Organisation):
    """The districts the office serves; the regional office (serving none by itself) the region's."""
    served = office_district_ids(office)
    districts = District.objects.for_choices()
    districts = districts.filter(pk__in=served) if served else districts.filter(region_id=office.region_id)
    return districts.order_by("kato")
