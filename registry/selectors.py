"""What the registry's pages read: the indicators of a user's scope, found by any value written any
way (registry.indicators.recognize), or searched as text when the value is of no known kind."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from . import policy
from .indicators import SECRET_KINDS, Kind, recognize
from .indicators import Indicator as Found
from .models import Indicator, Notice


def indicators_for(user) -> QuerySet:
    return policy.visible_indicators(user, Indicator.objects.all())


def listed_for(user) -> QuerySet:
    """The user's indicators as the registry's list shows them, with their sightings counted."""
    return indicators_for(user).annotate(
        sightings_count=Count("sightings", filter=Q(sightings__unlinked_at__isnull=True))
    )


@dataclass(frozen=True)
class Search:
    found: Found | None  # the value read as an indicator of a known kind, or None
    indicators: list[Indicator]

    @property
    def kind_label(self) -> str:
        return str(Kind(self.found.kind).label) if self.found is not None else ""


def search(user, raw: str) -> Search:
    """The indicators of the user's scope the value names: by its keyed hash when it reads as a
    known kind ("8 705 123 45 67" finds +77051234567), else by the text shown (never a secret kind's
    number, which is only ever found whole)."""
    raw = (raw or "").strip()
    found = recognize(raw) if raw else None
    visible = indicators_for(user)
    if found is not None:
        return Search(found, list(visible.filter(kind=found.kind, value_hash__in=found.hashes)[:50]))
    if len(raw) < 3:
        return Search(None, [])
    text = visible.exclude(kind__in=SECRET_KINDS).filter(Q(value__icontains=raw) | Q(shown__icontains=raw))
    return Search(None, list(text[:50]))


def notices_for(user) -> QuerySet:
    """The banks' and the antifraud centre's notices the user may import and read: their region's."""
    return policy.visible_notices(user, Notice.objects.all())
