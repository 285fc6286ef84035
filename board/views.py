"""The board's pages live in meeting_views.py (meetings, their reports heard), directive_views.py (a
directive, its executions, evidence) and progress_views.py (the executions' list, bulk progress,
the XLSX round trip); what they share is board.pages, re-exported here for older imports."""

from .pages import require_reader, visible_directives

__all__ = ["require_reader", "visible_directives"]
