"""The outreach log's writes: a piece of outreach work logged within the actor's remit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import work_district_ids
from accounts.zones import local_today

from .. import policy
from ..models import Outreach


def outreach_record(
    *,
    actor,
    project: str,
    kind: str,
    count: int,
    day,
    district=None,
    link: str = "",
    note: str = "",
    photo=None,
):
    """A piece of outreach work, by an office of the actor's region, in a district of their remit
    (a district's staff: one of theirs). Refused with the reason by field. `photo` is already
    re-encoded without its metadata (lib.photos.clean_photo)."""
    if not policy.may_log_outreach(actor):
        raise PermissionDenied(_("Your role does not log outreach work."))
    organisation = actor.organisation if actor.organisation_id else None
    if organisation is None or organisation.region_id is None:
        raise PermissionDenied(_("Your organisation belongs to no region: its outreach log is not yours."))
    errors = {}
    if project not in Outreach.Project.values:
        errors["project"] = _("Choose the project.")
    if kind not in Outreach.Kind.values:
        errors["kind"] = _("Choose the kind of work.")
    if not isinstance(count, int) or not 1 <= count <= 1_000_000:
        errors["count"] = _("Write how many, from 1 to 1,000,000.")
    if day is None or day > local_today(organisation.region):
        errors["day"] = _("The date cannot be later than today.")
    remit = work_district_ids(actor)
    if district is not None and (
        district.region_id != organisation.region_id or (remit is not None and district.pk not in remit)
    ):
        errors["district"] = _("This district is outside your remit.")
    if remit is not None and district is None:
        errors["district"] = _("Choose the district of your remit the work was done in.")
    if errors:
        raise ValidationError(errors)
    return Outreach.objects.create(
        region_id=organisation.region_id,
        district=district,
        project=project,
        kind=kind,
        count=count,
        day=day,
        organiser=organisation,
        link=link.strip(),
        note=note.strip(),
        photo=photo or "",
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
