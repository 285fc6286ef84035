"""The outreach log's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .. import policy, services
from ..forms import OutreachForm
from ..models import Outreach
from .indicators import PER_PAGE


@login_required
def outreach(request):
    """GET /registry/outreach/: the outreach work of the user's scope, latest first, with the
    totals by kind; POST: a new entry."""
    user = request.user
    if not policy.may_log_outreach(user):
        raise PermissionDenied
    form = OutreachForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.outreach_record(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The outreach work is logged."))
            return redirect("registry:outreach")
    entries = policy.visible_outreach(user, Outreach.objects.select_related("district", "organiser"))
    page = Paginator(entries.order_by("-day", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    totals = {row["kind"]: row["total"] for row in entries.values("kind").annotate(total=Sum("count"))}
    context = {
        "form": form,
        "page": page,
        "totals": [(label, totals.get(value, 0)) for value, label in Outreach.Kind.choices],
    }
    return render(request, "registry/outreach.html", context, status=400 if form.errors else 200)


@login_required
def outreach_photo(request, pk: int):
    """An entry's photo, served only to those who see the entry (never from a public URL)."""
    entries = policy.visible_outreach(request.user, Outreach.objects.exclude(photo=""))
    entry = get_object_or_404(entries, pk=pk)
    response = FileResponse(entry.photo.open("rb"), content_type="image/jpeg")
    patch_cache_control(response, private=True, max_age=3600)
    return response
