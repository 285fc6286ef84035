"""Writes of offence reports: submit, re-categorise, re-route, change status, notify the body.

Every function is keyword-only, runs in one transaction and appends ReportEvent rows; views,
the REST API, Open311, tasks and commands call them and decide nothing themselves. Routing is
`signals.routing.find_body`, deadlines `signals.deadlines.compute_deadline`, the state machine
`signals.workflow`. No IP address is stored anywhere here.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.lookups import district_by_kato, district_by_pk
from accounts.models import District, Organisation, Region, Role, User
from lib.tasks import enqueue_on_commit

from . import geo
from .categories import choice_keys, get_category
from .deadlines import compute_deadline
from .models import Category, CategoryAttribute, Report, ReporterContact, ReportEvent, ReportPhoto
from .references import new_tracking_token, next_reference, token_hash
from .routing import find_body
from .workflow import OPEN_STATUSES, is_prosecutor_for, may_trigger, transition_for

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


def _user_or_none(user) -> User | None:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


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


def _parse_datetime(value) -> str:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment.isoformat()


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], ())


def clean_attribute(attribute: CategoryAttribute, value):
    """One extra field's value in its stored form; ValueError with no message when it is invalid."""
    Datatype = CategoryAttribute.Datatype
    if attribute.datatype == Datatype.NUMBER:
        return _parse_number(value)
    if attribute.datatype == Datatype.DATETIME:
        return _parse_datetime(value)
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


def clean_attributes(category: Category, attributes: dict | None) -> dict:
    """The category's extra fields checked and typed; ValidationError listing every problem."""
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
            cleaned[code] = clean_attribute(attribute, given[code])
        except (ValueError, TypeError):
            errors.append(invalid_attribute_message(attribute))
    if errors:
        raise ValidationError({"attributes": errors})
    return cleaned


def attribute_label(attribute: CategoryAttribute) -> str:
    return attribute_question(attribute) or attribute.code


def attribute_question(attribute: CategoryAttribute) -> str:
    language = (translation.get_language() or "kk")[:2]
    for code in (language, "ru", "kk", "en"):
        value = getattr(attribute, f"description_{code}", "")
        if value:
            return value
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
            cleaned_attributes = clean_attributes(category, attributes)
        except ValidationError as problem:
            for message in problem.message_dict["attributes"]:
                error("attributes", message)

    contact = _clean_contact(contact, error)

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


def _clean_contact(contact: dict | None, error) -> dict | None:
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
    report = Report.objects.create(
        region=region,
        reference=next_reference(region, timezone.localtime(now).year),
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
    events = [
        ReportEvent(
            report=report,
            at=now,
            kind=Kind.SUBMITTED,
            actor=actor,
            to_status=Status.NEW,
            data={"channel": report.channel},
        ),
        ReportEvent(report=report, at=now, kind=Kind.ROUTED, from_status=Status.NEW, to_status=Status.ROUTED, body=body)
        if body
        else ReportEvent(report=report, at=now, kind=Kind.TRIAGE, to_status=Status.NEW),
    ]
    ReportEvent.objects.bulk_create(events)
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
    actor = _user_or_none(actor)
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
    reporter = _user_or_none(reporter) or (actor if actor is not None and actor.role == Role.CITIZEN else None)
    fields = {
        "channel": channel,
        "deadline_at": compute_deadline(values["category"], now),
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
            if body is not None:
                _notify_on_commit(report, body, Kind.ROUTED)
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


# --- staff changes ------------------------------------------------------------------------------


def _require_prosecutor(actor, report: Report) -> None:
    if not is_prosecutor_for(actor, report):
        raise PermissionDenied(_("Only a prosecutor overseeing this report's district may do this."))


def _locked(report: Report) -> Report:
    # of=("self",): lock the report row only. PostgreSQL refuses FOR UPDATE on the nullable side
    # of the outer join that select_related makes for the district.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("region", "district", "category")
        .get(pk=report.pk)
    )


def _copy_back(source: Report, target: Report, fields: list[str]) -> None:
    """Keep the caller's instance in step with the saved row."""
    for name in fields:
        setattr(target, name, getattr(source, name))


def _require_open(report: Report) -> None:
    if report.status not in OPEN_STATUSES:
        raise ValidationError(
            _("A report with status “%(status)s” can no longer be re-categorised or re-routed.")
            % {"status": Status(report.status).label}
        )


def _notify_on_commit(report: Report, body: Organisation, kind: str) -> None:
    from .tasks import notify_body

    enqueue_on_commit(notify_body, report.pk, body.pk, str(kind))


@transaction.atomic
def report_recategorise(*, report: Report, category, actor, reason: str = "") -> Report:
    """Put the report in another category: routes it again and restarts its deadline from now."""
    _require_prosecutor(actor, report)
    locked = _locked(report)
    _require_open(locked)
    category = get_category(category)
    if category is None or not category.is_active:
        raise ValidationError({"category": [_("Choose a category in use.")]})
    if category.pk == locked.category_id:
        raise ValidationError({"category": [_("The report is already in this category.")]})
    now = timezone.now()
    old_category, old_body_id, old_status = locked.category, locked.body_id, locked.status
    body = find_body(region=locked.region, category=category, district=locked.district)
    locked.category = category
    locked.sensitive = category.sensitive
    locked.deadline_at = compute_deadline(category, now)
    locked.overdue = False
    if body is None:
        # No body for the new category: back to the prosecutor's triage.
        locked.body, locked.status = None, Status.NEW
    elif body.pk != old_body_id or locked.status == Status.NEW:
        locked.body, locked.status, locked.routed_at = body, Status.ROUTED, now
    fields = ["category", "sensitive", "deadline_at", "overdue", "body", "status", "routed_at"]
    locked.save(update_fields=fields)
    ReportEvent.objects.create(
        report=locked,
        at=now,
        kind=Kind.RECATEGORISED,
        actor=actor,
        from_status=old_status,
        to_status=locked.status,
        body=locked.body,
        data={
            "from_category": old_category.code,
            "to_category": category.code,
            "from_body": old_body_id,
            "to_body": locked.body_id,
            "deadline": locked.deadline_at.isoformat(),
            "reason": reason.strip(),
        },
    )
    if locked.body_id and locked.body_id != old_body_id:
        _notify_on_commit(locked, locked.body, Kind.RECATEGORISED)
    _copy_back(locked, report, fields)
    return report


@transaction.atomic
def report_reroute(*, report: Report, body: Organisation, actor, reason: str = "") -> Report:
    """Send the report to another body (or, from the triage, to a body): deadline from now."""
    _require_prosecutor(actor, report)
    locked = _locked(report)
    _require_open(locked)
    if (
        body is None
        or not body.is_active
        or body.kind == Organisation.Kind.PARTNER
        or (body.region_id is not None and body.region_id != locked.region_id)
    ):
        raise ValidationError({"body": [_("Choose an active body of the report's region.")]})
    if body.pk == locked.body_id:
        raise ValidationError({"body": [_("The report is already with this body.")]})
    now = timezone.now()
    old_body_id, old_status = locked.body_id, locked.status
    locked.body, locked.status, locked.routed_at = body, Status.ROUTED, now
    locked.deadline_at = compute_deadline(locked.category, now)
    locked.overdue = False
    fields = ["body", "status", "routed_at", "deadline_at", "overdue"]
    locked.save(update_fields=fields)
    ReportEvent.objects.create(
        report=locked,
        at=now,
        kind=Kind.REROUTED if old_body_id else Kind.ROUTED,
        actor=actor,
        from_status=old_status,
        to_status=Status.ROUTED,
        body=body,
        data={
            "from_body": old_body_id,
            "to_body": body.pk,
            "deadline": locked.deadline_at.isoformat(),
            "reason": reason.strip(),
        },
    )
    _notify_on_commit(locked, body, Kind.REROUTED if old_body_id else Kind.ROUTED)
    _copy_back(locked, report, fields)
    return report


@transaction.atomic
def report_transition(
    *, report: Report, to_status: str, actor, reason: str = "", duplicate_of: Report | None = None
) -> Report:
    """Move the report along the workflow (signals/workflow.py); refuses what the table forbids."""
    locked = _locked(report)
    transition = transition_for(locked.status, to_status)
    if not may_trigger(actor, locked, transition):
        raise PermissionDenied(_("You may not change this report's status."))
    reason = (reason or "").strip()
    now = timezone.now()
    from_status = locked.status
    fields = ["status"]
    data = {"action": transition.action}
    if reason:
        data["reason"] = reason
    if to_status == Status.ROUTED:
        if locked.body_id is None:
            raise ValidationError({"body": [_("Choose the body first: re-route the report to it.")]})
        locked.routed_at = now
        fields.append("routed_at")
    elif to_status == Status.REJECTED:
        if not reason:
            raise ValidationError({"reason": [_("Say why the report is rejected.")]})
        locked.rejection_reason = reason
        fields.append("rejection_reason")
    elif to_status == Status.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == locked.pk or duplicate_of.region_id != locked.region_id:
            raise ValidationError({"duplicate_of": [_("Name the report this one repeats.")]})
        locked.duplicate_of = duplicate_of
        fields.append("duplicate_of")
        data["duplicate_of"] = duplicate_of.reference
    elif to_status == Status.ANSWERED:
        locked.answered_at = now
        locked.overdue = bool(locked.deadline_at and now > locked.deadline_at)
        fields += ["answered_at", "overdue"]
    if to_status in (Status.REJECTED, Status.DUPLICATE, Status.CLOSED):
        locked.closed_at = now
        fields.append("closed_at")
    locked.status = to_status
    locked.save(update_fields=fields)
    ReportEvent.objects.create(
        report=locked,
        at=now,
        kind=Kind.STATUS,
        actor=_user_or_none(actor),
        from_status=from_status,
        to_status=to_status,
        body=locked.body,
        data=data,
    )
    _copy_back(locked, report, fields)
    return report


# --- notifications -----------------------------------------------------------------------------


def _staff_link(report: Report) -> str:
    return settings.SITE_URL + reverse("signals:detail", args=[report.reference])


def report_notify_body(*, report_id: int, body_id: int, kind: str) -> int:
    """Mail the body's active members that a report is now theirs; returns the number of mails.

    A notification never names the reporter; for sensitive categories it carries no content at
    all (only the reference and the deadline): the body reads the report in Tartip.
    """
    report = Report.objects.select_related("category", "district", "body").filter(pk=report_id).first()
    if report is None or report.body_id != body_id:
        return 0  # re-routed again since: the current body got its own notification
    members = User.objects.filter(organisation_id=body_id, is_active=True).exclude(email="")
    messages = []
    for member in members:
        with translation.override(member.language or settings.LANGUAGE_CODE):
            messages.append(
                EmailMessage(
                    subject=gettext("Tartip: report %(reference)s needs your answer") % {"reference": report.reference},
                    body=_notification_text(report, kind),
                    to=[member.email],
                )
            )
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def _notification_text(report: Report, kind: str) -> str:
    deadline = timezone.localtime(report.deadline_at).strftime("%Y-%m-%d %H:%M") if report.deadline_at else "—"
    lines = [
        gettext("Report %(reference)s was sent to %(body)s.") % {"reference": report.reference, "body": report.body},
        gettext("Answer by: %(deadline)s.") % {"deadline": deadline},
    ]
    if kind in (Kind.REROUTED, Kind.RECATEGORISED):
        lines.append(gettext("It was re-routed to you by a prosecutor."))
    if not report.sensitive:
        lines.append(gettext("Category: %(category)s.") % {"category": report.category})
        if report.district_id:
            lines.append(gettext("District: %(district)s.") % {"district": report.district})
        if report.address:
            lines.append(gettext("Address: %(address)s.") % {"address": report.address})
    lines.append(gettext("Open it in Tartip to read it and answer."))
    link = _staff_link(report)
    if link:
        lines.append(link)
    return "\n".join(lines)
