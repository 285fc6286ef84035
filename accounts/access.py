"""Fetching one object within the user's scope, for detail pages and endpoints."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.audit_hooks import audit_denied


def get_in_scope_or_404(request, visible: QuerySet, **lookup):
    """The object when the user may see it; otherwise 404, the same answer as for an object that
    does not exist (so scope leaks nothing). An attempt on an existing object out of scope is
    recorded in the audit log as denied access."""
    try:
        return visible.get(**lookup)
    except visible.model.DoesNotExist:
        if visible.model._default_manager.filter(**lookup).exists():
            audit_denied(request, target=f"{visible.model._meta.label}: {lookup}")
        raise Http404 from None
