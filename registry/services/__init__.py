"""The registry's writes, one module per concern:

- `indicators`: a value seen in a source (a report's text, a notice, a staff member's entry) made an
  indicator with its sighting, confirmed, a wrong sighting unlinked, unconfirmed ones expired, the
  partners' lookups folded into the audit chain;
- `notices`: the banks' and the antifraud centre's notices uploaded, mapped and read in batches;
- `outreach`: the outreach log.

Every write is keyword-only and appends its dated events; views, the API, tasks and the demo call
them and decide nothing themselves (who may do what is `registry.policy`'s). This package's names
are its public surface: callers import them from `registry.services`.
"""

from .indicators import (
    LOOKUP_BATCH,
    Seen,
    indicator_confirm,
    indicator_enter,
    indicator_take,
    indicators_expire,
    indicators_take_many,
    is_ignored,
    lookups_audit,
    report_indicators_take,
    report_text,
    sighting_unlink,
)
from .notices import notice_map, notice_preview, notice_read, notice_resume, notice_upload
from .outreach import outreach_record

__all__ = [
    "LOOKUP_BATCH",
    "Seen",
    "indicator_confirm",
    "indicator_enter",
    "indicator_take",
    "indicators_expire",
    "indicators_take_many",
    "is_ignored",
    "lookups_audit",
    "notice_map",
    "notice_preview",
    "notice_read",
    "notice_resume",
    "notice_upload",
    "outreach_record",
    "report_indicators_take",
    "report_text",
    "sighting_unlink",
]
