"""Writes of social facilities built from assets returned to the state: recorded, their progress
(planned, under construction, completed, and the percent done), their photos.

Every function is keyword-only, runs in one transaction and takes `actor=` (a prosecutor of the
facility's office, supervision.scoping.may_keep). Each change of status or progress appends a dated
FacilityEvent carrying the facility's status and percent done after it, so "12 facilities, 4
completed" is counted as it stood on any day (supervision.business_metrics). A photo is its own
dated row (FacilityPhoto: who uploaded it, when). `now=` is the moment recorded (the demo writes
history with it; pages never pass it).
"""

from datetime import date as Date
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation
from lib.photos import clean_photo

from ..models import CriminalCase, FacilityEvent, FacilityPhoto, SocialFacility, SupervisoryAct
from . import kept

Kind = FacilityEvent.Kind
Status = SocialFacility.Status
PHOTOS_MAX = 30
# A point given for a facility lies within its region's outline's bounds, this much around them.
OUTLINE_MARGIN = Decimal("0.5")


def _event(facility, kind, *, on, status, percent_done, actor, now, **data) -> FacilityEvent:
    return FacilityEvent.objects.create(
        facility=facility,
        kind=kind,
        on=on,
        status=status,
        percent_done=percent_done,
        at=now,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data,
    )


def latest_event(facility: SocialFacility) -> FacilityEvent | None:
    return facility.events.order_by("-on", "-at", "-id").first()


def _bounds(outline) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """(south, west, north, east) of a GeoJSON geometry, or None."""
    points = []

    def walk(value):
        if isinstance(value, list | tuple) and len(value) >= 2 and all(isinstance(v, int | float) for v in value[:2]):
            points.append(value)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    if isinstance(outline, dict):
        walk(outline.get("coordinates") or [])
        for geometry in outline.get("geometries") or []:
            walk(geometry.get("coordinates") or [])
    if not points:
        return None
    lons = [Decimal(str(point[0])) for point in points]
    lats = [Decimal(str(point[1])) for point in points]
    return min(lats), min(lons), max(lats), max(lons)


def _coordinates(latitude, longitude, region, errors: dict) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither; real degrees; within the region's bounds where its outline is known."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    except (InvalidOperation, TypeError, ValueError):
        kept.add(errors, "latitude", _("Give both the latitude and the longitude in degrees, or neither."))
        return None, None
    if not (lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180):
        kept.add(errors, "latitude", _("Give both the latitude and the longitude in degrees, or neither."))
        return None, None
    bounds = _bounds(region.outline) if region is not None else None
    if bounds is not None:
        south, west, north, east = bounds
        if not (
            south - OUTLINE_MARGIN <= lat <= north + OUTLINE_MARGIN
            and west - OUTLINE_MARGIN <= lon <= east + OUTLINE_MARGIN
        ):
            kept.add(errors, "latitude", _("The point lies outside the region: check the coordinates."))
            return None, None
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def _sources(actor, office: Organisation, source_case, source_act, errors: dict):
    """The case or act whose returned assets pay for the facility: at least one, of the office's
    region, and one the actor reads."""
    if source_case is None and source_act is None:
        kept.add(errors, "source_act", _("Name the case or the act whose returned assets pay for the facility."))
        return None, None
    if source_case is not None and (
        not isinstance(source_case, CriminalCase)
        or source_case.region_id != office.region_id
        or not CriminalCase.objects.for_user(actor).filter(pk=source_case.pk).exists()
    ):
        kept.add(errors, "source_case", _("Choose a criminal case of your region that you oversee."))
    if source_act is not None and (
        not isinstance(source_act, SupervisoryAct)
        or source_act.region_id != office.region_id
        or not SupervisoryAct.objects.for_user(actor).filter(pk=source_act.pk).exists()
    ):
        kept.add(errors, "source_act", _("Choose an act of response of your region that you read."))
    return source_case, source_act


@transaction.atomic
def facility_record(
    *,
    actor,
    office: Organisation,
    name: str,
    type: str,  # the model's field name
    district: District,
    amount,
    on: Date,
    source_case: CriminalCase | None = None,
    source_act: SupervisoryAct | None = None,
    latitude=None,
    longitude=None,
    planned_start: Date | None = None,
    planned_completion: Date | None = None,
    now: datetime | None = None,
) -> SocialFacility:
    """Record a facility to be built from returned assets on `on`: planned, nothing done yet."""
    kept.require_office_keeper(actor, office, _("Only a prosecutor of the office records its facilities."))
    now = kept.moment(now)
    errors: dict = {}
    cleaned = {
        "name": kept.text(name, "name", errors, limit=kept.NAME_MAX, required=True),
        "district": kept.district_of_office(district, office, "district", errors),
        "amount": kept.amount(amount, "amount", errors),
    }
    if type not in SocialFacility.Type.values:
        kept.add(errors, "type", _("Choose the type of facility."))
    on = kept.day(on, "on", errors, latest=kept.today(office.region_id, now))
    cleaned["source_case"], cleaned["source_act"] = _sources(actor, office, source_case, source_act, errors)
    cleaned["latitude"], cleaned["longitude"] = _coordinates(latitude, longitude, office.region, errors)
    for field, value in (("planned_start", planned_start), ("planned_completion", planned_completion)):
        if value is not None and (not isinstance(value, Date) or isinstance(value, datetime)):
            kept.add(errors, field, _("Enter a date."))
    if isinstance(planned_start, Date) and isinstance(planned_completion, Date) and planned_completion < planned_start:
        kept.add(errors, "planned_completion", _("The planned completion cannot come before the planned start."))
    if errors:
        raise ValidationError(errors)
    facility = SocialFacility.objects.create(
        region_id=office.region_id,
        office=office,
        type=type,
        planned_start=planned_start,
        planned_completion=planned_completion,
        status=Status.PLANNED,
        percent_done=0,
        created_by=actor,
        recorded_at=now,
        **cleaned,
    )
    _event(facility, Kind.RECORDED, on=on, status=Status.PLANNED, percent_done=0, actor=actor, now=now)
    return facility


@transaction.atomic
def facility_progress(
    *,
    actor,
    facility: SocialFacility,
    status: str,
    percent_done: int,
    on: Date,
    completed_on: Date | None = None,
    now: datetime | None = None,
) -> FacilityEvent:
    """Record the facility's progress on `on` (not before its latest change, not in the future):
    its status and percent done. Completed means 100 % and needs the date of completion (not after
    `on`, not before the construction started)."""
    kept.require_keeper(actor, facility, _("Only a prosecutor of the facility's office may change it."))
    now = kept.moment(now)
    locked = SocialFacility.objects.select_for_update().get(pk=facility.pk)
    latest = latest_event(locked)
    if locked.status == Status.COMPLETED:
        raise ValidationError(_("The facility is completed: its progress no longer changes."))
    errors: dict = {}
    if status not in Status.values:
        kept.add(errors, "status", _("Choose a status."))
    if not isinstance(percent_done, int) or isinstance(percent_done, bool) or not 0 <= percent_done <= 100:
        kept.add(errors, "percent_done", _("Enter a percent from 0 to 100."))
    elif status == Status.COMPLETED and percent_done != 100:
        kept.add(errors, "percent_done", _("A completed facility is %(percent)d %% done.") % {"percent": 100})
    elif status == Status.PLANNED and percent_done != 0:
        kept.add(errors, "percent_done", _("A planned facility has no work done yet: choose “under construction”."))
    elif percent_done < locked.percent_done and status == locked.status:
        kept.add(
            errors,
            "percent_done",
            _("The percent done cannot go down (it was %(percent)d %%).") % {"percent": locked.percent_done},
        )
    if status == Status.PLANNED and locked.status != Status.PLANNED:
        kept.add(errors, "status", _("Construction has started: the facility cannot be planned again."))
    today = kept.today(locked.region_id, now)
    on = kept.day(
        on,
        "on",
        errors,
        latest=today,
        earliest=latest.on if latest else None,
        earliest_message=_("The date cannot be before the facility's latest change (%(date)s).")
        % {"date": latest.on.strftime("%d.%m.%Y") if latest else ""},
    )
    if status == Status.COMPLETED:
        if completed_on is None:
            kept.add(errors, "completed_on", _("A facility completed without a date: enter the date of completion."))
        else:
            kept.day(
                completed_on,
                "completed_on",
                errors,
                latest=on if isinstance(on, Date) and on <= today else today,
                earliest=locked.started_on or (latest.on if latest else None),
                earliest_message=_("The facility cannot be completed before its construction started."),
            )
    elif completed_on is not None:
        kept.add(errors, "completed_on", _("Only a completed facility has a date of completion."))
    if errors:
        raise ValidationError(errors)
    fields = ["status", "percent_done"]
    if status != Status.PLANNED and locked.started_on is None:
        locked.started_on = on if status == Status.BUILDING else completed_on
        fields.append("started_on")
    if status == Status.COMPLETED:
        locked.completed_on = completed_on
        fields.append("completed_on")
    locked.status, locked.percent_done = status, percent_done
    locked.save(update_fields=fields)
    for field in fields:
        setattr(facility, field, getattr(locked, field))
    kind = Kind.COMPLETED if status == Status.COMPLETED else Kind.PROGRESS
    data = {"completed_on": completed_on.isoformat()} if completed_on else {}
    return _event(locked, kind, on=on, status=status, percent_done=percent_done, actor=actor, now=now, **data)


@transaction.atomic
def facility_photo_add(
    *, actor, facility: SocialFacility, upload, taken_on: Date | None = None, now: datetime | None = None
) -> FacilityPhoto:
    """Attach a photo of the facility's progress: size-capped, decoded with a pixel limit and
    re-encoded without metadata (lib.photos.clean_photo); at most PHOTOS_MAX a facility."""
    kept.require_keeper(actor, facility, _("Only a prosecutor of the facility's office may change it."))
    now = kept.moment(now)
    errors: dict = {}
    if facility.photos.count() >= PHOTOS_MAX:
        kept.add(errors, "image", _("At most %(limit)d photos a facility.") % {"limit": PHOTOS_MAX})
    if taken_on is not None:
        kept.day(taken_on, "taken_on", errors, latest=kept.today(facility.region_id, now))
    try:
        content = clean_photo(upload) if not errors else None
    except ValidationError as error:
        errors.setdefault("image", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    photo = FacilityPhoto(facility=facility, taken_on=taken_on, uploaded_by=actor, uploaded_at=now)
    photo.image.save(content.name, content, save=False)
    photo.save()
    return photo
