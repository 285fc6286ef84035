"""Intake: a report submitted from any channel (the web form, staff entry, the REST API, Open311),
validated, routed and written in one transaction; and a report found by its tracking token.

Routing is `signals.routing.find_body`, deadlines `signals.deadlines.compute_deadline`. No IP
address is stored anywhere here.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.lookups import district_by_kato, district_by_pk
from accounts.models import District, Region, Role
from accounts.zones import local_date, make_local, region_zone
from lib.i18n import localized
from lib.inserts import insert_new

from .. import geo
from ..categories import choice_keys, get_category
from ..deadlines import compute_deadline
from ..models import Category, CategoryAttribute, Report, ReporterContact, ReportEvent, ReportPhoto
from ..references import new_tracking_token, next_reference, token_hash
from ..routing import find_body
from .events import submission_events, submitted_on_commit, user_or_none

Status = Report.Status
Kind = ReportEvent.Kind

DESCRIPTION_MAX = 4000
ADDRESS_MAX = 300
STRING_MAX = 300
TEXT_MAX = 4000
COORDINATE_PLACES = Decimal("0.000001")


@dataclass
class Submission:
    report: Report
    # The private tracking token: shown once. Empty when `created` is False (only its hash is
    # kept, so a repeated submission cannot give it again).
    tracking_token: str
    created: bool


# --- validation -------------------------------------------------------------------------------


def _coordinate(value, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or abs(number) > limit:
        raise ValueError
    return number.quantize(COORDINATE_PLACES)


def _district(value) -> District | None:
    if value is None or value == "":
        return None
    if isinstance(value, District):
        return value
    text = str(value).strip()
    # A KATO code has nine digits; anything else is a primary key.
    if len(text) == 9:
        return district_by_kato(text)
    return district_by_pk(int(text)) if text.isdigit() else None


def _parse_number(value) -> int | float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return int(number) if number == number.to_integral_value() else float(number)


def _parse_datetime(value, region=None) -> str:
    """A moment typed without an offset is the region's local time (where the reporter is)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    return make_local(moment, region).isoformat()


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], ())


def clean_attribute(attribute: CategoryAttribute, value, region=None):
    """One extra field's value in its stored form; ValueError with no message when it is invalid."""
    Datatype = CategoryAttribute.Datatype
    if attribute.datatype == Datatype.NUMBER:
        return _parse_number(value)
    if attribute.datatype == Datatype.DATETIME:
        return _parse_datetime(value, region)
    if attribute.datatype == Datatype.SINGLE:
        if isinstance(value, list | tuple):
            if len(value) != 1:
                raise ValueError
            value = value[0]
        key = str(value).strip()
        if key not in choice_keys(attribute):
            raise ValueError
        return key
    if attribute.datatype == Datatype.MULTI:
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        keys = [str(item).strip() for item in items if str(item).strip()]
        known = choice_keys(attribute)
        if not keys or any(key not in known for key in keys):
            raise ValueError
        return list(dict.fromkeys(keys))
    text = str(value).strip()
    if len(text) > (TEXT_MAX if attribute.datatype == Datatype.TEXT else STRING_MAX):
        raise ValueError
    return text


def clean_attributes(category: Category, attributes: dict | None, region=None) -> dict:
    """The category's extra fields checked and typed (a local time read in the region's zone);
    ValidationError listing every problem."""
    given = {str(code): value for code, value in (attributes or {}).items() if not _is_empty(value)}
    definitions = {attribute.code: attribute for attribute in category.attributes.all()}
    cleaned, errors = {}, []
    for code in given:
        if code not in definitions:
            errors.append(_("“%(code)s” is not a field of this category.") % {"code": code})
    for code, attribute in definitions.items():
        if code not in given:
            if attribute.required:
                errors.append(_("“%(field)s” is required.") % {"field": attribute_label(attribute)})
            continue
        try:
            cleaned[code] = clean_attribute(attribute, given[code], region)
        except (ValueError, TypeError):
            errors.append(invalid_attribute_message(attribute))
    if errors:
        raise ValidationError({"attributes": errors})
    return cleaned


def attribute_label(attribute: CategoryAttribute) -> str:
    return attribute_question(attribute) or attribute.code


def attribute_question(attribute: CategoryAttribute) -> str:
    return localized(attribute, "description")
    return ""


def invalid_attribute_message(attribute: CategoryAttribute) -> str:
    Datatype = CategoryAttribute.Datatype
    label = attribute_label(attribute)
    messages = {
        Datatype.NUMBER: _("“%(field)s” must be a number."),
        Datatype.DATETIME: _("“%(field)s” must be a date and time like 2025-03-01T14:30."),
        Datatype.SINGLE: _("“%(field)s”: choose one of the offered values."),
        Datatype.MULTI: _("“%(field)s”: choose among the offered values."),
        Datatype.TEXT: _("“%(field)s” is too long (at most %(max)d characters)."),
        Datatype.STRING: _("“%(field)s” is too long (at most %(max)d characters)."),
    }
    maximum = TEXT_MAX if attribute.datatype == Datatype.TEXT else STRING_MAX
    return messages[attribute.datatype] % {"field": label, "max": maximum}


def _only_region() -> Region | None:
    regions = list(Region.objects.all()[:2])
    return regions[0] if len(regions) == 1 else None


def _validated(
    *,
    actor,
    category,
    description,
    channel,
    region,
    district,
    latitude,
    longitude,
    address,
    attributes,
    photos,
    contact,
    api_key,
) -> dict:
    errors: dict[str, list] = {}

    def error(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    if channel not in Report.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")

    category = get_category(category)
    if category is None:
        error("category", _("Choose a category."))
    elif not category.is_active:
        error("category", _("This category is no longer in use: choose another one."))
        category = None

    description = (description or "").strip()
    if not description:
        error("description", _("Describe what happened."))
    elif len(description) > DESCRIPTION_MAX:
        error(
            "description",
            _("The description is too long: %(length)d characters, at most %(max)d.")
            % {"length": len(description), "max": DESCRIPTION_MAX},
        )

    latitude_given = not _is_empty(latitude)
    longitude_given = not _is_empty(longitude)
    try:
        lat, lon = _coordinate(latitude, 90), _coordinate(longitude, 180)
    except ValueError:
        lat = lon = None
        error("location", _("The point on the map is not valid: choose it again."))
    else:
        if latitude_given != longitude_given:
            lat = lon = None
            error("location", _("The point on the map needs both a latitude and a longitude."))
    address = (address or "").strip()
    if len(address) > ADDRESS_MAX:
        error("location", _("The address is too long (at most %(max)d characters).") % {"max": ADDRESS_MAX})
    if category is not None and category.requires_location and lat is None and not address and "location" not in errors:
        error("location", _("Mark the place on the map or write its address."))

    district_given = not _is_empty(district)
    district = _district(district)
    if district_given and district is None:
        error("district", _("Unknown district: choose one from the list."))
    if isinstance(region, Region) and district is not None and district.region_id != region.pk:
        error("district", _("This district is not in the region."))
        district = None

    photos = list(photos or ())
    if len(photos) > settings.REPORT_PHOTO_MAX_COUNT:
        error(
            "photos",
            _("Attach at most %(max)d photos.") % {"max": settings.REPORT_PHOTO_MAX_COUNT},
        )
    if category is not None and category.requires_photo and not photos:
        error("photos", _("This category needs a photo."))

    cleaned_attributes = {}
    if category is not None:
        try:
            # A local time typed in a field is the report's region's: the one given, or its district's.
            place = region if isinstance(region, Region) else getattr(district, "region", None)
            cleaned_attributes = clean_attributes(category, attributes, place)
        except ValidationError as problem:
            for message in problem.message_dict["attributes"]:
                error("attributes", message)

    contact = clean_contact(contact, error)

    if errors:
        raise ValidationError(errors)

    # Region: given, or the district's, or the key's organisation's, or the only one there is.
    if region is None and district is not None:
        region = district.region
    if region is None and api_key is not None and api_key.organisation.region_id:
        region = api_key.organisation.region
    if region is None and actor is not None and actor.organisation_id and actor.organisation.region_id:
        region = actor.organisation.region
    if district is None and lat is not None:
        district = geo.district_at(lat, lon, region.pk if region else None)
        if region is None and district is not None:
            region = district.region
    region = region or _only_region()
    if region is None:
        raise ValidationError({"district": [_("Choose a district.")]})

    return {
        "category": category,
        "description": description,
        "region": region,
        "district": district,
        "latitude": lat,
        "longitude": lon,
        "address": address,
        "attributes": cleaned_attributes,
        "photos": photos,
        "contact": contact,
    }


def clean_contact(contact: dict | None, error) -> dict | None:
    if not contact:
        return None
    values = {
        "name": str(contact.get("name") or "").strip()[:200],
        "phone": str(contact.get("phone") or "").strip()[:40],
        "email": str(contact.get("email") or "").strip()[:254],
    }
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            error("contact", _("Enter a valid email address."))
    return values if any(values.values()) else None


# --- submit -------------------------------------------------------------------------------------


def _existing_submission(api_key, idempotency_key: str) -> Report | None:
    if api_key is None or not idempotency_key:
        return None
    return Report.objects.filter(api_key=api_key, idempotency_key=idempotency_key).first()


def _insert_report(*, values: dict, fields: dict, now: datetime, body, actor) -> Report:
    """The report row, its first events, contact and photos (inside the caller's savepoint)."""
    region = values["region"]
    report = Report(
        region=region,
        reference=next_reference(region, local_date(now, region).year),
        category=values["category"],
        district=values["district"],
        body=body,
        status=Status.ROUTED if body else Status.NEW,
        description=values["description"],
        address=values["address"],
        latitude=values["latitude"],
        longitude=values["longitude"],
        attributes=values["attributes"],
        sensitive=values["category"].sensitive,
        submitted_at=now,
        routed_at=now if body else None,
        **fields,
    )
    # The hot path of every channel: one prepared INSERT per table (lib.inserts), not the ORM's.
    insert_new([report])
    events = submission_events(report, now=now, actor=actor)
    insert_new(events)
    if values["contact"]:
        ReporterContact.objects.create(report=report, consent_at=now, **values["contact"])
    for photo in values["photos"]:
        ReportPhoto.objects.create(report=report, image=photo)
    return report


def report_submit(
    *,
    actor,
    category,
    description: str,
    channel: str,
    region: Region | None = None,
    district=None,
    latitude=None,
    longitude=None,
    address: str = "",
    attributes: dict | None = None,
    photos: Sequence = (),
    contact: dict | None = None,
    reporter=None,
    api_key=None,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> Submission:
    """Take a report in from any channel: check it, give it a reference, route it, set its deadline.

    With an API key and an idempotency key, a repeated submission returns the first report
    (created False), also when both copies arrive at the same moment: the unique constraint on
    (api_key, idempotency_key) decides, and the loser returns the winner's report.
    """
    actor = user_or_none(actor)
    idempotency_key = (idempotency_key or "").strip()[:100]
    # Everything up to the insert only reads (mostly from the per-process caches): the
    # transaction, and the lock on the reference counter it takes, start as late as they can.
    values = _validated(
        actor=actor,
        category=category,
        description=description,
        channel=channel,
        region=region,
        district=district,
        latitude=latitude,
        longitude=longitude,
        address=address,
        attributes=attributes,
        photos=photos,
        contact=contact,
        api_key=api_key,
    )
    now = now or timezone.now()
    body = find_body(region=values["region"], category=values["category"], district=values["district"])
    token, hashed = new_tracking_token()
    reporter = user_or_none(reporter) or (actor if actor is not None and actor.role == Role.CITIZEN else None)
    fields = {
        "channel": channel,
        "deadline_at": compute_deadline(values["category"], now, zone=region_zone(values["region"])),
        "tracking_token_hash": hashed,
        "reporter": reporter,
        "entered_by": actor if actor is not None and actor.role != Role.CITIZEN else None,
        "api_key": api_key,
        "idempotency_key": idempotency_key if api_key is not None else "",
    }
    try:
        # A savepoint only when the caller holds a transaction; otherwise this is the whole
        # transaction, and a refused insert rolls it all back before the lookup below.
        with transaction.atomic():
            report = _insert_report(values=values, fields=fields, now=now, body=body, actor=actor)
            submitted_on_commit(report, body)
    except IntegrityError:
        # A repeat: the same (api key, idempotency key) is already stored, or was committed by a
        # concurrent request in the meantime. No check before the insert: repeats are rare, and
        # the unique constraint decides anyway.
        existing = _existing_submission(api_key, idempotency_key)
        if existing is None:
            raise
        return Submission(report=existing, tracking_token="", created=False)
    return Submission(report=report, tracking_token=token, created=True)


def find_report_by_token(token: str) -> Report | None:
    """The report of a private tracking link, or None."""
    if not token or len(token) > 200:
        return None
    return (
        Report.objects.select_related("category", "district", "region", "body")
        .filter(tracking_token_hash=token_hash(token))
        .first()
    )
