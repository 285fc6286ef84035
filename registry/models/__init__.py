"""The registry's models, one module per concern (indicators and their networks, notices, blocking
requests, graffiti, the outreach log); their names are re-exported here, so callers write
`from registry.models import Indicator`."""

from .blocking import BlockingEvent, BlockingItem, BlockingRequest
from .graffiti import Graffiti, GraffitiEvent
from .indicators import IgnoredValue, Indicator, IndicatorEvent, IndicatorLink, Lookup, Sighting, Status
from .notices import Notice, NoticeEvent, NoticeRow, NoticeRowError
from .outreach import Outreach

__all__ = [
    "BlockingEvent",
    "BlockingItem",
    "BlockingRequest",
    "Graffiti",
    "GraffitiEvent",
    "IgnoredValue",
    "Indicator",
    "IndicatorEvent",
    "IndicatorLink",
    "Lookup",
    "Notice",
    "NoticeEvent",
    "NoticeRow",
    "NoticeRowError",
    "Outreach",
    "Sighting",
    "Status",
]
