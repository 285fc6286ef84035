"""The registry's writes, one module per concern:

- `indicators`: a value seen in a source (a report's text, a notice, a staff member's entry) made an
  indicator with its sighting, confirmed, a wrong sighting unlinked, unconfirmed ones expired, the
  partners' lookups folded into the audit chain;
- `notices`: the banks' and the antifraud centre's notices uploaded, mapped and read in batches;
- `outreach`: the outreach log;
- `blocking`: blocking requests grouped by addressee, sent, and answered item by item;
- `graffiti`: drug graffiti reported, destroyed (painted over, with a photo), the destruction withdrawn;
- `networks`: the links between indicators seen together (a report, a notice's row), their counts
  and components, kept up to date as sightings arrive.

Every write is keyword-only and appends its dated events; views, the API, tasks and the demo call
them and decide nothing themselves (who may do what is `registry.policy`'s). This package's names
are its public surface: callers import them from `registry.services`.
"""

from .blocking import (
    Answer,
    blocking_answer_import,
    blocking_answer_read,
    blocking_group,
    blocking_item_remove,
    blocking_items_answer,
    blocking_request_change,
    blocking_request_send,
    blocking_requests_draft,
    parse_amount,
)
from .bulk import Seen, indicators_take_many
from .graffiti import answer_graffiti_sync, graffiti_sync
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
from .notices import notice_map, notice_preview, notice_read, notice_resume, notice_upload
from .outreach import outreach_record

__all__ = [
    "Answer",
    "blocking_answer_import",
    "blocking_answer_read",
    "blocking_group",
    "blocking_item_remove",
    "blocking_items_answer",
    "blocking_request_change",
    "blocking_request_send",
    "blocking_requests_draft",
    "parse_amount",
    "LOOKUP_BATCH",
    "answer_graffiti_sync",
    "graffiti_sync",
    "Seen",
    "indicator_confirm",
    "indicator_enter",
    "indicator_take",
    "indicators_expire",
    "indicators_take_many",
    "hub_links",
    "is_ignored",
    "links_add",
    "links_build",
    "links_remove",
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
