"""Writes of offence reports: submit, re-categorise, re-route, change status, notify the body.

Every function is keyword-only, runs in one transaction and appends ReportEvent rows; views,
the REST API, Open311, tasks and commands call them and decide nothing themselves. Routing is
`signals.routing.find_body`, deadlines `signals.deadlines.compute_deadline`, the state machine
`signals.policy`. No IP address is stored anywhere here.
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
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.lookups import district_by_kato, district_by_pk
from accounts.models import District, Organisation, Region, Role, User
from lib.inserts import insert_new
from lib.tasks import enqueue_on_commit

from . import geo
from .categories import choice_keys, get_category
from .deadlines import compute_deadline, extend_deadline
from .models import (
    Answer,
    Category,
    CategoryAttribute,
    ExtensionRequest,
    Forward,
    Report,
    ReporterContact,
    ReportEvent,
    ReportPhoto,
    ReportSupporter,
)
from .references import new_tracking_token, next_reference, token_hash
from .routing import find_body
from .policy import (
    ANSWERED_STATUSES,
    AWAITING_ANSWER,
    OPEN_STATUSES,
    is_body_staff_for,
    is_prosecutor_for,
    may_trigger,
    transition_for,
)

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
    report = Report(
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
    # The hot path of every channel: one prepared INSERT per table (lib.inserts), not the ORM's.
    insert_new([report])
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
    *,
    report: Report,
    to_status: str,
    actor,
    reason: str = "",
    duplicate_of: Report | None = None,
    answer: Answer | None = None,
) -> Report:
    """Move the report along the workflow (signals/policy.py); refuses what the table forbids.

    Returning or resolving an answered report decides its pending answer; a returned report gets
    a fresh deadline. Answering takes the Answer written by answer_give."""
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
        if answer is None:
            raise ValidationError(_("Answer with the answer form: say what was done and the result."))
        locked.answered_at = now
        locked.overdue = bool(locked.deadline_at and now > locked.deadline_at)
        locked.public_answer = answer.public_text
        locked.answer_result = answer.result
        fields += ["answered_at", "overdue", "public_answer", "answer_result"]
        data["answer"] = answer.pk
    elif to_status == Status.RETURNED:
        if not reason:
            raise ValidationError({"reason": [_("Say what the body must do again.")]})
        locked.deadline_at = compute_deadline(locked.category, now)
        locked.overdue = False
        locked.answer_result = ""  # the returned answer no longer stands
        fields += ["deadline_at", "overdue", "answer_result"]
        data["deadline"] = locked.deadline_at.isoformat()
    if from_status == Status.ANSWERED and to_status in (Status.RETURNED, Status.RESOLVED):
        _decide_answer(locked, to_status, reason, actor, now)
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
    _after_status_change(locked, from_status, to_status, actor)
    _copy_back(locked, report, fields)
    return report


def _decide_answer(report: Report, to_status: str, reason: str, actor, now: datetime) -> None:
    decision = Answer.Decision.RETURNED if to_status == Status.RETURNED else Answer.Decision.ACCEPTED
    Answer.objects.filter(report=report, decision=Answer.Decision.PENDING).update(
        decision=decision,
        decided_by=_user_or_none(actor),
        decided_at=now,
        return_reason=reason if decision == Answer.Decision.RETURNED else "",
    )


# --- notifications -----------------------------------------------------------------------------


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
    from .notices import staff_link

    lines.append(settings.SITE_URL + staff_link(report))
    return "\n".join(lines)


def _after_status_change(report: Report, from_status: str, to_status: str, actor) -> None:
    from . import notices

    notices.status_changed(report, from_status, to_status)


# --- the body's work on a report --------------------------------------------------------------


def _require_body_staff(actor, report: Report) -> None:
    if not is_body_staff_for(actor, report):
        raise PermissionDenied(_("Only the staff of the body the report is with may do this."))


def _require_awaiting_answer(report: Report) -> None:
    if report.status not in AWAITING_ANSWER:
        raise ValidationError(
            _("A report with status “%(status)s” is not waiting for the body's answer.")
            % {"status": Status(report.status).label}
        )


def _event(report: Report, kind: str, actor, now: datetime, **data) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        at=now,
        kind=kind,
        actor=_user_or_none(actor),
        from_status=report.status,
        to_status=report.status,
        body=report.body,
        data=data,
    )


def _clean_text(value: str, field: str, limit: int, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    if len(text) > limit:
        raise ValidationError({field: [_("At most %(limit)d characters.") % {"limit": limit}]})
    return text


@transaction.atomic
def report_assign(*, report: Report, assignee: User | None, actor) -> Report:
    """Give the report to an officer of the body (None: to nobody in particular)."""
    locked = _locked(report)
    _require_body_staff(actor, locked)
    _require_awaiting_answer(locked)
    if assignee is not None and (
        not assignee.is_active or assignee.organisation_id != locked.body_id or assignee.role != Role.BODY_OFFICER
    ):
        raise ValidationError({"assignee": [_("Choose an officer of the body.")]})
    if assignee is not None and assignee.pk == locked.assignee_id:
        raise ValidationError({"assignee": [_("The report is already assigned to this officer.")]})
    locked.assignee = assignee
    locked.save(update_fields=["assignee"])
    _event(locked, Kind.ASSIGNED, actor, timezone.now(), assignee=assignee.pk if assignee else None)
    _copy_back(locked, report, ["assignee"])
    return report


@transaction.atomic
def report_forward(*, report: Report, to_body: Organisation, reason: str, actor) -> Forward:
    """The body passes the report to another body, with a reason: at once, with a fresh deadline.
    The overseeing prosecutor sees every forward and may send it back (forward_decide)."""
    locked = _locked(report)
    _require_body_staff(actor, locked)
    _require_awaiting_answer(locked)
    reason = _clean_text(reason, "reason", 2000, _("Say why the report belongs to the other body."))
    if to_body is None or to_body.pk == locked.body_id:
        raise ValidationError({"to_body": [_("Choose another body: the report is already with this one.")]})
    if (
        not to_body.is_active
        or to_body.kind != Organisation.Kind.BODY
        or (to_body.region_id is not None and to_body.region_id != locked.region_id)
    ):
        raise ValidationError({"to_body": [_("Choose an active body of the report's region.")]})
    now = timezone.now()
    from_body = locked.body
    forward = Forward.objects.create(
        report=locked,
        from_body=from_body,
        to_body=to_body,
        reason=reason,
        previous_deadline=locked.deadline_at,
        by=_user_or_none(actor),
        at=now,
    )
    old_status = locked.status
    locked.body, locked.status, locked.routed_at, locked.assignee = to_body, Status.ROUTED, now, None
    locked.deadline_at = compute_deadline(locked.category, now)
    locked.overdue = False
    fields = ["body", "status", "routed_at", "assignee", "deadline_at", "overdue"]
    locked.save(update_fields=fields)
    ReportEvent.objects.create(
        report=locked,
        at=now,
        kind=Kind.FORWARDED,
        actor=_user_or_none(actor),
        from_status=old_status,
        to_status=Status.ROUTED,
        body=to_body,
        data={"from_body": from_body.pk, "to_body": to_body.pk, "reason": reason, "forward": forward.pk},
    )
    _notify_on_commit(locked, to_body, Kind.FORWARDED)
    from . import notices

    notices.forwarded(locked, forward)
    _copy_back(locked, report, fields)
    return forward


@transaction.atomic
def forward_decide(*, forward: Forward, uphold: bool, actor, note: str = "") -> Forward:
    """The prosecutor upholds a forward, or sends the report back to the first body with the
    deadline it had there (forwarding buys no time)."""
    forward = Forward.objects.select_for_update().get(pk=forward.pk)
    locked = _locked(forward.report)
    _require_prosecutor(actor, locked)
    if forward.decision != Forward.Decision.PENDING:
        raise ValidationError(_("This forward has already been reviewed."))
    now = timezone.now()
    note = (note or "").strip()
    if not uphold:
        if locked.body_id != forward.to_body_id or locked.status not in AWAITING_ANSWER:
            raise ValidationError(_("The report has moved on since this forward: re-route it from its page instead."))
        if not note:
            raise ValidationError({"note": [_("Say why the report goes back to the first body.")]})
        locked.body, locked.status, locked.routed_at, locked.assignee = forward.from_body, Status.ROUTED, now, None
        locked.deadline_at = forward.previous_deadline or compute_deadline(locked.category, now)
        locked.overdue = bool(locked.deadline_at and locked.deadline_at < now)
        locked.save(update_fields=["body", "status", "routed_at", "assignee", "deadline_at", "overdue"])
        _notify_on_commit(locked, forward.from_body, Kind.FORWARD_DECIDED)
    forward.decision = Forward.Decision.UPHELD if uphold else Forward.Decision.REVERSED
    forward.decided_by, forward.decided_at, forward.decision_note = _user_or_none(actor), now, note
    forward.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    _event(locked, Kind.FORWARD_DECIDED, actor, now, forward=forward.pk, decision=forward.decision, note=note)
    return forward


EXTENSION_MAX_DAYS = 30


@transaction.atomic
def extension_request(*, report: Report, days: int, reason: str, actor) -> ExtensionRequest:
    """The body asks for `days` more working days, before the deadline passes."""
    locked = _locked(report)
    _require_body_staff(actor, locked)
    _require_awaiting_answer(locked)
    now = timezone.now()
    if locked.deadline_at is None or now >= locked.deadline_at:
        raise ValidationError(_("The deadline has passed: an extension must be asked before it."))
    if not isinstance(days, int) or not 1 <= days <= EXTENSION_MAX_DAYS:
        raise ValidationError({"days": [_("Ask for 1 to %(max)d working days.") % {"max": EXTENSION_MAX_DAYS}]})
    reason = _clean_text(reason, "reason", 2000, _("Say why more time is needed."))
    if ExtensionRequest.objects.filter(report=locked, decision=ExtensionRequest.Decision.PENDING).exists():
        raise ValidationError(_("An extension asked earlier is still waiting for the prosecutor."))
    extension = ExtensionRequest.objects.create(
        report=locked,
        body=locked.body,
        days=days,
        reason=reason,
        by=_user_or_none(actor),
        at=now,
        deadline_before=locked.deadline_at,
    )
    _event(locked, Kind.EXTENSION_REQUESTED, actor, now, extension=extension.pk, days=days, reason=reason)
    from . import notices

    notices.extension_requested(locked, extension)
    return extension


@transaction.atomic
def extension_decide(*, extension: ExtensionRequest, grant: bool, actor, note: str = "") -> ExtensionRequest:
    """The district prosecutor grants (the deadline moves by the working days asked) or refuses."""
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    locked = _locked(extension.report)
    _require_prosecutor(actor, locked)
    if extension.decision != ExtensionRequest.Decision.PENDING:
        raise ValidationError(_("This extension has already been decided."))
    note = (note or "").strip()
    if not grant and not note:
        raise ValidationError({"note": [_("Say why the extension is refused.")]})
    now = timezone.now()
    extension.decision = ExtensionRequest.Decision.GRANTED if grant else ExtensionRequest.Decision.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = _user_or_none(actor), now, note
    if grant and locked.status in AWAITING_ANSWER and locked.deadline_at:
        locked.deadline_at = extend_deadline(locked.deadline_at, extension.days)
        locked.overdue = locked.deadline_at < now
        locked.save(update_fields=["deadline_at", "overdue"])
        extension.deadline_after = locked.deadline_at
    extension.save(update_fields=["decision", "decided_by", "decided_at", "decision_note", "deadline_after"])
    _event(
        locked,
        Kind.EXTENSION_DECIDED,
        actor,
        now,
        extension=extension.pk,
        decision=extension.decision,
        deadline=locked.deadline_at.isoformat() if locked.deadline_at else None,
        note=note,
    )
    from . import notices

    notices.extension_decided(locked, extension)
    return extension


REGISTRATION_NUMBER_MAX = 40


@transaction.atomic
def report_register(*, report: Report, registration: str, number: str, actor) -> Report:
    """Record the number under which the body registered the report as an offence (КУИ or ЕРДР)."""
    locked = _locked(report)
    if not (is_body_staff_for(actor, locked) or is_prosecutor_for(actor, locked)):
        raise PermissionDenied(_("Only the body the report is with, or its prosecutor, may do this."))
    if registration not in Report.Registration.values:
        raise ValidationError({"registration": [_("Choose the register: KUI or ERDR.")]})
    number = _clean_text(number, "registration_number", REGISTRATION_NUMBER_MAX, _("Give the registration number."))
    if (locked.registration, locked.registration_number) == (registration, number):
        raise ValidationError({"registration_number": [_("This number is already recorded.")]})
    now = timezone.now()
    locked.registration, locked.registration_number, locked.registered_at = registration, number, now
    fields = ["registration", "registration_number", "registered_at"]
    locked.save(update_fields=fields)
    _event(locked, Kind.REGISTERED, actor, now, registration=registration, number=number)
    _copy_back(locked, report, fields)
    return report


def clean_measures(measures) -> list[str]:
    chosen = [m for m in (measures or []) if m]
    unknown = [m for m in chosen if m not in Answer.Measure.values]
    if unknown:
        raise ValidationError({"measures": [_("Unknown measure: %(names)s.") % {"names": ", ".join(unknown)}]})
    return sorted(set(chosen), key=Answer.Measure.values.index)


def answer_give(
    *,
    report: Report,
    result: str,
    text: str,
    actor,
    measures: Sequence[str] = (),
    public_text: str = "",
    photos: Sequence = (),
) -> Answer:
    """The body's answer: what was done and the result. The report becomes answered and waits
    for the prosecutor, who accepts it (resolved) or returns it."""
    with transaction.atomic():
        locked = _locked(report)
        _require_body_staff(actor, locked)
        transition = transition_for(locked.status, Status.ANSWERED)
        if not may_trigger(actor, locked, transition):
            raise PermissionDenied(_("You may not change this report's status."))
        if result not in Answer.Result.values:
            raise ValidationError({"result": [_("Choose the result.")]})
        text = _clean_text(text, "text", 4000, _("Say what was done."))
        public_text = (public_text or "").strip()
        if len(public_text) > 2000:
            raise ValidationError({"public_text": [_("At most %(limit)d characters.") % {"limit": 2000}]})
        photos = list(photos or ())
        if len(photos) > settings.REPORT_PHOTO_MAX_COUNT:
            raise ValidationError(
                {"photos": [_("Attach at most %(max)d photos.") % {"max": settings.REPORT_PHOTO_MAX_COUNT}]}
            )
        now = timezone.now()
        answer = Answer.objects.create(
            report=locked,
            body=locked.body,
            author=_user_or_none(actor),
            at=now,
            result=result,
            measures=clean_measures(measures),
            text=text,
            public_text=public_text,
            on_time=bool(locked.deadline_at is None or now <= locked.deadline_at),
        )
        for photo in photos:
            ReportPhoto.objects.create(report=locked, image=photo, source=ReportPhoto.Source.ANSWER, answer=answer)
        report_transition(report=report, to_status=Status.ANSWERED, actor=actor, answer=answer)
        return answer


def answer_accept(*, report: Report, actor) -> Report:
    """The prosecutor accepts the answer: the report is resolved."""
    return report_transition(report=report, to_status=Status.RESOLVED, actor=actor)


def answer_return(*, report: Report, reason: str, actor) -> Report:
    """The prosecutor returns the answer for re-work, saying what to do: a fresh deadline runs."""
    return report_transition(report=report, to_status=Status.RETURNED, actor=actor, reason=reason)


# --- duplicates --------------------------------------------------------------------------------


def report_family_ids(report: Report) -> list[int]:
    """The report and the reports merged into it: its timeline, photos and reporters are theirs."""
    merged = Report.objects.filter(duplicate_of_id=report.pk, status=Status.DUPLICATE).values_list("id", flat=True)
    return [report.pk, *merged]


@transaction.atomic
def report_merge(*, duplicate: Report, into: Report, actor, reason: str = "") -> Report:
    """Merge `duplicate` into `into`: the duplicate is closed as such; its reporter (with their
    contact) and its followers join `into`, and its events stay readable in `into`'s timeline."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": [_("A report cannot be merged into itself.")]})
    first, second = sorted([duplicate.pk, into.pk])
    locked = {r.pk: r for r in Report.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    source, target = locked[duplicate.pk], locked[into.pk]
    _require_prosecutor(actor, source)
    _require_prosecutor(actor, target)
    if target.region_id != source.region_id:
        raise ValidationError({"into": [_("Both reports must be of the same region.")]})
    if target.status in (Status.REJECTED, Status.DUPLICATE):
        raise ValidationError({"into": [_("Merge into a report that is not rejected or itself a duplicate.")]})
    transition_for(source.status, Status.DUPLICATE)  # refuses what the workflow forbids
    now = timezone.now()
    contact = ReporterContact.objects.filter(report=source).first()
    ReportSupporter.objects.create(
        report=target,
        kind=ReportSupporter.Kind.MERGED,
        merged_from=source,
        name=contact.name if contact else "",
        phone=contact.phone if contact else "",
        email=contact.email if contact else "",
        consent_at=contact.consent_at if contact else None,
        created_at=now,
    )
    ReportSupporter.objects.filter(report=source).update(report=target)
    report_transition(report=source, to_status=Status.DUPLICATE, actor=actor, reason=reason, duplicate_of=target)
    _event(target, Kind.MERGED, actor, now, merged=source.reference, reason=(reason or "").strip())
    duplicate.refresh_from_db()
    return target


# --- the reporter, through the private tracking link --------------------------------------------


FOLLOW_UP_MAX = 2000


def report_me_too(*, report: Report, contact: dict | None = None) -> tuple[ReportSupporter, str]:
    """Someone else saw the same thing: they join the open public report and get their own
    tracking link (returned once, with the row)."""
    with transaction.atomic():
        locked = _locked(report)
        if locked.sensitive or locked.status in (Status.REJECTED, Status.DUPLICATE, Status.CLOSED):
            raise ValidationError(_("This report cannot be joined."))
        errors: dict = {}
        cleaned = _clean_contact(contact, lambda field, message: errors.setdefault(field, []).append(message))
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        token, hashed = new_tracking_token()
        supporter = ReportSupporter.objects.create(
            report=locked,
            kind=ReportSupporter.Kind.ME_TOO,
            tracking_token_hash=hashed,
            created_at=now,
            consent_at=now if cleaned else None,
            **(cleaned or {}),
        )
        _event(locked, Kind.ME_TOO, None, now, supporters=locked.supporters.count())
        return supporter, token


def _require_reporter_may_follow_up(report: Report) -> None:
    if report.status in (Status.REJECTED, Status.DUPLICATE):
        raise ValidationError(_("This report is no longer followed: nothing can be added to it."))


def followup_add(*, report: Report, text: str = "", photos: Sequence = ()) -> Report:
    """The reporter adds information or photos (photos already cleaned by signals.photos)."""
    with transaction.atomic():
        locked = _locked(report)
        _require_reporter_may_follow_up(locked)
        text = (text or "").strip()
        photos = list(photos or ())
        if not text and not photos:
            raise ValidationError({"text": [_("Write something or attach a photo.")]})
        if len(text) > FOLLOW_UP_MAX:
            raise ValidationError({"text": [_("At most %(limit)d characters.") % {"limit": FOLLOW_UP_MAX}]})
        total = ReportPhoto.objects.filter(report=locked).exclude(source=ReportPhoto.Source.ANSWER).count()
        if total + len(photos) > 2 * settings.REPORT_PHOTO_MAX_COUNT:
            raise ValidationError({"photos": [_("This report has as many photos as it can take.")]})
        for photo in photos:
            ReportPhoto.objects.create(report=locked, image=photo, source=ReportPhoto.Source.FOLLOW_UP)
        _event(locked, Kind.FOLLOW_UP, None, timezone.now(), text=text, photos=len(photos))
        from . import notices

        notices.reporter_followed_up(locked)
        return locked


def followup_not_resolved(*, report: Report, text: str) -> Report:
    """The reporter says the answer did not resolve things: the prosecutor decides (return or close)."""
    with transaction.atomic():
        locked = _locked(report)
        text = _clean_text(text, "text", FOLLOW_UP_MAX, _("Say what is still wrong."))
        transition_for(locked.status, Status.REOPENED)
        now = timezone.now()
        from_status = locked.status
        locked.status, locked.closed_at = Status.REOPENED, None
        locked.save(update_fields=["status", "closed_at"])
        ReportEvent.objects.create(
            report=locked,
            at=now,
            kind=Kind.STATUS,
            from_status=from_status,
            to_status=Status.REOPENED,
            body=locked.body,
            data={"action": "reopen", "reason": text},
        )
        _after_status_change(locked, from_status, Status.REOPENED, None)
        _copy_back(locked, report, ["status", "closed_at"])
        return report


def followup_rate(*, report: Report, rating: int) -> Report:
    """The reporter rates the answer from 1 (useless) to 5 (fully resolved); a new rating replaces it."""
    with transaction.atomic():
        locked = _locked(report)
        if locked.status not in ANSWERED_STATUSES:
            raise ValidationError(_("The report has no answer to rate yet."))
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            raise ValidationError({"rating": [_("Rate from 1 to 5.")]})
        locked.rating = rating
        locked.save(update_fields=["rating"])
        _event(locked, Kind.RATED, None, timezone.now(), rating=rating)
        _copy_back(locked, report, ["rating"])
        return report


@transaction.atomic
def report_note_act(*, report: Report, act_id: int, act_type: str, actor) -> ReportEvent:
    """An act of prosecutorial response (supervision.services.act_record) names this report."""
    _require_prosecutor(actor, report)
    return _event(report, Kind.ACT, actor, timezone.now(), act=act_id, type=str(act_type))
