"""Supervision's writes, one module per concern:

- `acts`: acts of prosecutorial response recorded, corrected, their letters numbered, their
  outcomes, results (area, violations, beneficiaries) and dated amounts recorded;
- `cases`: criminal cases under the office's control and their dated changes;
- `crime`: crime statistics imported (a file of registered offences read in the background into a
  staging table, then made the period's rows in one transaction, the earlier ones kept as replaced);
- `submissions`: the offices' monthly submissions, saved, submitted, returned, approved (their
  figures then the month's), corrected as a next version, and the month locked;
- `crime_tables`: aggregated crime tables (cumulative from 1 January) read by a column mapping and
  made the months' figures;
- `projects`, `facilities`: investment projects under supervision and social facilities built from
  returned assets, each change a dated event;
- `highlights`: highlights for publication written, changed, approved (after the checks of
  personal data and bound numbers) or refused, and withdrawn.

Every write is keyword-only, takes `actor=` and appends its dated events; views, tasks and the
demo call them. This package's names are its public surface: callers import them from
`supervision.services`.
"""

from .acts import (
    ADDRESSEE_TITLE_MAX,
    LEGAL_BASIS_MAX,
    NOTE_MAX,
    OFFICIALS_MAX,
    REPORTS_MAX,
    SUMMARY_MAX,
    act_amount,
    act_change,
    act_letter,
    act_outcome,
    act_record,
    act_results,
    letter_problems,
)
from .cases import case_amounts, case_appeal, case_persons, case_record, case_stage
from .crime import crime_import_read, crime_import_upload
from .crime_tables import crime_table_import
from .crime_tables import known_codes as crime_tables_known_codes
from .facilities import facility_photo_add, facility_progress, facility_record
from .highlights import highlight_approve, highlight_change, highlight_publish, highlight_withdraw, highlight_write
from .projects import project_problems, project_record, project_status
from .submissions import (
    late_offices,
    month_lock,
    submission_approve,
    submission_check,
    submission_correct,
    submission_return,
    submission_save,
    submission_submit,
    submission_template,
    submission_upload,
    submissions_remind,
)

__all__ = [
    "ADDRESSEE_TITLE_MAX",
    "LEGAL_BASIS_MAX",
    "NOTE_MAX",
    "OFFICIALS_MAX",
    "REPORTS_MAX",
    "SUMMARY_MAX",
    "act_amount",
    "act_change",
    "act_letter",
    "act_outcome",
    "act_record",
    "act_results",
    "case_amounts",
    "case_appeal",
    "case_persons",
    "case_record",
    "case_stage",
    "crime_import_read",
    "crime_import_upload",
    "crime_table_import",
    "crime_tables_known_codes",
    "highlight_approve",
    "highlight_change",
    "highlight_publish",
    "highlight_withdraw",
    "highlight_write",
    "facility_photo_add",
    "facility_progress",
    "facility_record",
    "late_offices",
    "letter_problems",
    "month_lock",
    "project_problems",
    "project_record",
    "project_status",
    "submission_approve",
    "submission_check",
    "submission_correct",
    "submission_return",
    "submission_save",
    "submission_submit",
    "submission_template",
    "submission_upload",
    "submissions_remind",
]
