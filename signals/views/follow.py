"""'Follow my report': a reporter who kept the tracking link (or its token) but not the page pastes
it here and is taken to the report's tracking page (signals.views.public.track)."""

import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from signals import policy, selectors
from signals.services.intake import find_report_by_token
from signals.views.report_form import TRACKING_REFERRER_POLICY

MY_REPORTS_PAGE_SIZE = 20

# The token of a tracking link ".../track/<token>/", or a token pasted alone (secrets.token_urlsafe).
TRACKING_TOKEN = re.compile(r"(?:/track/)?([A-Za-z0-9_-]{16,200})/?\s*$")


class FollowForm(forms.Form):
    link = forms.CharField(
        label=_("Your tracking link"),
        max_length=400,
        help_text=_("The link shown when you sent the report, or sent to your address."),
    )

    def clean_link(self) -> str:
        """The token of a link that leads to a report: the reference alone is not enough, it is
        public (only the link's token proves the reporter)."""
        match = TRACKING_TOKEN.search(self.cleaned_data["link"].strip())
        if match is None or find_report_by_token(match.group(1)) is None:
            raise forms.ValidationError(_("This link leads to no report. Copy the whole link you were given."))
        return match.group(1)


@require_http_methods(["GET", "POST"])
def follow(request):
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect(reverse("signals:track", args=[form.cleaned_data["link"]]))
    status = 400 if form.is_bound else 200
    response = render(request, "signals/public/follow.html", {"form": form}, status=status)
    # A pasted link carries the token (in the form, not the address): no referrer may take it to
    # another site, but the form's own POST keeps a real Origin ("no-referrer" made Chromium send
    # "Origin: null", which the CSRF check refused: TRACKING_REFERRER_POLICY).
    response["Referrer-Policy"] = TRACKING_REFERRER_POLICY
    return response


@login_required
def my_reports(request):
    """GET /my-reports/: what a registered citizen sent while logged in, with each status. The
    tracking link stays the way to a report's page: the token proves the reporter, and the
    account's list shows no more than the reference, the category and where it stands."""
    if not policy.may_list_own_reports(request.user):
        raise PermissionDenied
    page = Paginator(selectors.own_reports(request.user), MY_REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "signals/public/my_reports.html", {"page": page})
