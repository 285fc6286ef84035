"""The registry's writes, one module per concern:

- `indicators`: a value seen in a source (a report's text, a notice, a staff member's entry) made an
  indicator with its sighting, confirmed, a wrong sighting unlinked, unconfirmed ones expired, the
  partners' lookups folded into the audit chain;
- `networks`: the links between indicators seen together (a report, a notice's row), their counts
  and components, kept up to date as sightings arrive;
- `outreach`: the outreach log.

Every write is keyword-only and appends its dated events; views, the API, tasks and the demo call
them and decide nothing themselves (who may do what is `registry.policy`'s). This package's names
are its public surface: callers import them from `registry.services`.
"""

from .indicators import (
    LOOKUP_BATCH,
    indicator_confirm,
    indicator_enter,
    indicator_take,
    indicators_expire,
    is_ignored,
    lookups_audit,
    report_indicators_take,
    report_text,
    sighting_unlink,
)
from .networks import hub_links, links_add, links_build, links_remove
from .outreach import outreach_record

__all__ = [
    "LOOKUP_BATCH",
    "indicator_confirm",
    "indicator_enter",
    "indicator_take",
    "indicators_expire",
    "hub_links",
    "is_ignored",
    "links_add",
    "links_build",
    "links_remove",
    "lookups_audit",
    "outreach_record",
    "report_indicators_take",
    "report_text",
    "sighting_unlink",
]
