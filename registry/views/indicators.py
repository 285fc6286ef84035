"""The registry's pages of indicators: the list and search, an indicator's page, confirming,
unmasking, unlinking, the entry form and the allow-list."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.models import AuditEvent
from accounts.scoping import work_district_ids

from .. import networks, policy, selectors, services
from ..forms import EntryForm, SearchForm
from ..indicators import SECRET_KINDS, Kind
from ..models import IgnoredValue, Sighting, Status
from .networks import network_context

PER_PAGE = 30


def _require_reader(user) -> None:
    if not policy.may_read_registry(user):
        raise PermissionDenied


@login_required
def registry_home(request):
    """GET /registry/: the indicators of the user's scope, last seen first, by kind and status;
    POST: a search by any value written any way (sent in the body, so values never sit in URLs or
    access logs)."""
    user = request.user
    _require_reader(user)
    form = SearchForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = selectors.search(user, form.cleaned_data["value"])
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else ""
    status = request.GET.get("status", "") if request.GET.get("status", "") in Status.values else ""
    indicators = selectors.listed_for(user).select_related("bank")
    if kind:
        indicators = indicators.filter(kind=kind)
    if status:
        indicators = indicators.filter(status=status)
    page = Paginator(indicators.order_by("-last_seen_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "result": result,
        "page": page,
        "query": query.urlencode(),
        "kinds": [
            (value, label)
            for value, label in Kind.choices
            if policy.is_prosecutor(user) or value not in policy.PROSECUTORS_ONLY
        ],
        "statuses": Status.choices,
        "selected_kind": kind,
        "selected_status": status,
        "can_enter": policy.may_record(user),
        "can_log_outreach": policy.may_log_outreach(user),
        "can_request_blocking": policy.may_request_blocking(user),
        "can_read_graffiti": policy.may_read_graffiti(user),
        "can_import_notices": policy.may_import_notices(user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "registry/indicator_list_partial.html", context)
    return render(request, "registry/home.html", context, status=400 if form.errors else 200)


def _indicator_page(request, indicator, *, unmasked: str = "", status: int = 200):
    user = request.user
    districts = work_district_ids(user)
    sightings = indicator.sightings.select_related("report", "district", "actor").order_by("-at", "-id")
    if districts is not None:  # a district's staff see their districts' sightings only
        sightings = sightings.filter(district_id__in=districts)
    context = {
        "indicator": indicator,
        "sightings": sightings,
        "events": indicator.events.select_related("actor").order_by("at", "id"),
        "unmasked": unmasked,
        "can_unmask": indicator.kind in SECRET_KINDS and policy.may_unmask(user) and not unmasked,
        "can_confirm": policy.may_record(user) and indicator.status == Status.SUSPECTED,
        "can_unlink": policy.may_record(user),
        "can_read_notices": policy.may_import_notices(user),
        **network_context(request, indicator),
    }
    if request.headers.get("HX-Request"):  # the network's depth chosen
        return render(request, "registry/network_partial.html", context, status=status)
    return render(request, "registry/indicator_detail.html", context, status=status)


def _visible(user, pk: int):
    _require_reader(user)
    return get_object_or_404(selectors.indicators_for(user).select_related("bank", "region"), pk=pk)


@login_required
def indicator_detail(request, pk: int):
    """GET /registry/<id>/[?depth=1-4]: the indicator, its sightings (the sources it was seen in),
    its network and history; with htmx, the network alone."""
    return _indicator_page(request, _visible(request.user, pk))


@login_required
@require_POST
def indicator_unmask(request, pk: int):
    """POST /registry/<id>/unmask/: a card's full number, an IIN or a BIN, for a prosecutor; audited."""
    indicator = _visible(request.user, pk)
    if indicator.kind not in SECRET_KINDS or not policy.may_unmask(request.user):
        raise PermissionDenied
    audit_record(
        action=AuditEvent.Action.PERSONAL_DATA_VIEW,
        actor=request.user,
        target=f"registry.indicator:{indicator.pk}",
        details={"what": indicator.kind},
        request=request,
    )
    return _indicator_page(request, indicator, unmasked=indicator.secret)


@login_required
@require_POST
def indicator_confirm(request, pk: int):
    indicator = _visible(request.user, pk)
    try:
        services.indicator_confirm(actor=request.user, indicator=indicator)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The indicator is confirmed."))
    return redirect("registry:indicator", pk=indicator.pk)


@login_required
@require_POST
def sighting_unlink(request, pk: int):
    """POST /registry/sightings/<id>/unlink/: a value wrongly taken from its source, remembered."""
    user = request.user
    _require_reader(user)
    visible = selectors.indicators_for(user)
    sighting = get_object_or_404(Sighting.objects.filter(indicator__in=visible), pk=pk)
    districts = work_district_ids(user)
    if districts is not None and sighting.district_id not in districts:
        raise PermissionDenied
    services.sighting_unlink(actor=user, sighting=sighting, reason=request.POST.get("reason", "")[:300])
    messages.success(request, _("The value is unlinked from its source and will not be taken again."))
    return redirect("registry:indicator", pk=sighting.indicator_id)


@login_required
def indicator_new(request):
    """GET, POST /registry/new/: a value entered by a prosecutor or the police, checked by its kind."""
    user = request.user
    if not policy.may_record(user):
        raise PermissionDenied
    form = EntryForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sighting = services.indicator_enter(
                actor=user, kind=data["kind"], raw=data["value"], district=data["district"], note=data["note"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The indicator is recorded."))
            return redirect("registry:indicator", pk=sighting.indicator_id)
    return render(request, "registry/indicator_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def allow_list(request):
    """GET /registry/allow-list/: the values never taken (edited in the administration)."""
    _require_reader(request.user)
    values = IgnoredValue.objects.exclude(kind__in=policy.PROSECUTORS_ONLY).select_related("actor")
    page = Paginator(values.order_by("reason", "kind", "shown"), PER_PAGE).get_page(request.GET.get("page"))
    # The hubs of the user's scope (registry.networks): linked to so many values that they say
    # nothing of any, most likely a hotline or an official site quoted in reports.
    hubs = list(networks.hubs_for(request.user)[:PER_PAGE])
    add = reverse("admin:registry_ignoredvalue_add")
    for hub in hubs:  # a value never in an address (nor the logs): the kind alone is filled in
        hub.allow_list_url = f"{add}?{urlencode({'kind': hub.kind})}"
    context = {
        "page": page,
        "hubs": hubs,
        "hub_limit": settings.REGISTRY_HUB_LINKS,
        "can_allow_list": policy.may_allow_list(request.user),
    }
    return render(request, "registry/allow_list.html", context)
