"""The user's in-app notifications (accounts.notifications writes them): newest first, the unread
ones marked, and one button that marks them all read. Nobody reads another user's list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Notification
from accounts.notifications import unread_count

PAGE_SIZE = 30


@login_required
def notifications(request):
    rows = Notification.objects.filter(user=request.user).order_by("-at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        # Links are written by Tartip itself; anything else is shown without a link.
        row.safe_url = row.url if row.url and url_has_allowed_host_and_scheme(row.url, {request.get_host()}) else ""
    unread = unread_count(request.user)
    return render(request, "accounts/notifications.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notifications_read(request):
    marked = Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("accounts:notifications")
