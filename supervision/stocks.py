"""A record's state on any day, from its dated events (CaseEvent, ProjectEvent, FacilityEvent): each
event carries the record as it stood after the change, dated by its own day (`on`) and entered at
its moment (`at`). The state at a moment is the latest event by (`on`, `at`, id) dated by that
moment's local day and entered by the moment: so a stock read as of 16 October 2025 stays what it
was that day, whatever was dated or entered later."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q


def latest_by(model, owner: str, moment: datetime, **only) -> Q:
    """The events of `model` that are their owner's state at `moment` (NOT EXISTS a later one of
    the same owner); `only` narrows the events that carry a state."""
    day = moment.date()  # the window's moments are in the region's zone: their dates are its days
    known = Q(on__lte=day, at__lte=moment, **only)
    later = model.objects.filter(known, **{owner: OuterRef(owner)}).filter(
        Q(on__gt=OuterRef("on"))
        | Q(on=OuterRef("on"), at__gt=OuterRef("at"))
        | Q(on=OuterRef("on"), at=OuterRef("at"), pk__gt=OuterRef("pk"))
    )
    return known & ~Exists(later)
