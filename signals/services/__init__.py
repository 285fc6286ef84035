"""Writes of offence reports, one module per actor or concern:

- `intake`: a report submitted from any channel, validated, routed and written in one transaction;
- `body`: the body's work (assign, forward, ask for more time, register, answer);
- `prosecutor`: the prosecutor's decisions (re-categorise, re-route, the workflow, forwards and
  extensions, accept or return an answer, note an act of response);
- `merging`: duplicates merged into the report they repeat;
- `reporter`: the reporter's follow-up through the private tracking link;
- `events`: what they share, the one way an event is written among it.

Every write is keyword-only, runs in one transaction and appends ReportEvent rows; views, the
REST API, Open311, tasks and commands call them and decide nothing themselves: who may do what,
the status groups and lateness are `signals.policy`'s. This package's names are its public
surface: callers import them from `signals.services`.
"""

from .body import (
    EXTENSION_MAX_DAYS,
    REGISTRATION_NUMBER_MAX,
    answer_give,
    clean_measures,
    extension_request,
    report_assign,
    report_forward,
    report_register,
)
from .intake import (
    Submission,
    attribute_label,
    attribute_question,
    clean_attribute,
    clean_attributes,
    find_report_by_token,
    invalid_attribute_message,
    report_submit,
)
from .merging import report_merge
from .prosecutor import (
    answer_accept,
    answer_return,
    extension_decide,
    forward_decide,
    report_note_act,
    report_recategorise,
    report_reroute,
    report_transition,
)
from .reporter import FOLLOW_UP_MAX, followup_add, followup_not_resolved, followup_rate, report_me_too

__all__ = [
    "EXTENSION_MAX_DAYS",
    "FOLLOW_UP_MAX",
    "REGISTRATION_NUMBER_MAX",
    "Submission",
    "answer_accept",
    "answer_give",
    "answer_return",
    "attribute_label",
    "attribute_question",
    "clean_attribute",
    "clean_attributes",
    "clean_measures",
    "extension_decide",
    "extension_request",
    "find_report_by_token",
    "followup_add",
    "followup_not_resolved",
    "followup_rate",
    "forward_decide",
    "invalid_attribute_message",
    "report_assign",
    "report_forward",
    "report_me_too",
    "report_merge",
    "report_note_act",
    "report_recategorise",
    "report_register",
    "report_reroute",
    "report_submit",
    "report_transition",
]
