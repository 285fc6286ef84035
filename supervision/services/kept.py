"""What the writes of an office's kept records (investment projects, social facilities) share: who
may keep them, and the checks of their fields, each problem collected by field in `errors` (a dict
of lists of translated messages) so that a refusal names every field at once."""

from datetime import date as Date
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation
from accounts.scoping import office_district_ids
from accounts.zones import local_date, region_id_zone

from ..scoping import ACT_AUTHORS, may_keep

# The largest amount a record takes (the fields' 18 digits, 2 after the point).
AMOUNT_MAX = Decimal("9999999999999999.99")
NAME_MAX = 300
NOTE_MAX = 500


def require_office_keeper(actor, office: Organisation | None, message) -> None:
    """A prosecutor of `office` (or a superuser), and the office a prosecutor's office of a region."""
    if actor is None or not actor.is_authenticated or office is None:
        raise PermissionDenied(message)
    if not (actor.is_superuser or (actor.role in ACT_AUTHORS and actor.organisation_id == office.pk)):
        raise PermissionDenied(message)
    if office.kind != Organisation.Kind.PROSECUTOR_OFFICE or office.region_id is None:
        raise PermissionDenied(_("Records are kept by a prosecutor's office of a region."))


def require_keeper(actor, record, message) -> None:
    if not may_keep(actor, record):
        raise PermissionDenied(message)


def moment(now: datetime | None) -> datetime:
    """The recorded moment: `now` where the demo writes history, the clock otherwise."""
    return now if now is not None else timezone.now()


def today(region_id: int, now: datetime) -> Date:
    return local_date(now, region_id_zone(region_id))


def add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def text(value, field: str, errors: dict, *, limit: int, required: bool = False) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        add(errors, field, _("This field is required."))
    elif len(cleaned) > limit:
        add(errors, field, _("At most %(limit)d characters.") % {"limit": limit})
    return cleaned


def amount(value, field: str, errors: dict) -> Decimal | None:
    try:
        cleaned = Decimal(value) if value is not None and not isinstance(value, bool) else None
    except (InvalidOperation, TypeError, ValueError):
        cleaned = None
    if cleaned is None or not cleaned.is_finite():
        add(errors, field, _("Enter an amount in tenge."))
        return None
    if cleaned < 0:
        add(errors, field, _("An amount cannot be negative."))
        return None
    if cleaned > AMOUNT_MAX or cleaned.as_tuple().exponent < -2:
        add(errors, field, _("Enter an amount in tenge, with at most two decimals."))
        return None
    return cleaned.quantize(Decimal("0.01"))


def day(value, field: str, errors: dict, *, latest: Date, earliest: Date | None = None, earliest_message=None):
    """A date not after `latest` (today) and, when given, not before `earliest`."""
    if not isinstance(value, Date) or isinstance(value, datetime):
        add(errors, field, _("Enter a date."))
        return None
    if value > latest:
        add(errors, field, _("The date cannot be in the future."))
    elif earliest is not None and value < earliest:
        add(errors, field, earliest_message or _("The date cannot be before the record's latest change."))
    return value


def district_of_office(value, office: Organisation, field: str, errors: dict) -> District | None:
    """A district the office serves (a region-wide office: any of its region's)."""
    if not isinstance(value, District):
        add(errors, field, _("Choose a district."))
        return None
    served = office_district_ids(office)
    if value.region_id != office.region_id or (served and value.pk not in served):
        add(errors, field, _("Choose a district your office serves."))
        return None
    return value
