"""Open311 GeoReport v2: every resource with a .json or .xml suffix (see signals/open311.py)."""

from django.urls import re_path

from signals import open311

app_name = "open311"

FORMAT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, open311.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FORMAT, open311.ServiceListView.as_view(), name="services"),
    re_path(r"^services/(?P<service_code>[-\w]+)" + FORMAT, open311.ServiceDefinitionView.as_view(), name="service"),
    re_path(r"^requests" + FORMAT, open311.RequestsView.as_view(), name="requests"),
    re_path(r"^requests/(?P<service_request_id>[-\w]+)" + FORMAT, open311.RequestDetailView.as_view(), name="request"),
    re_path(r"^tokens/(?P<token>[-\w]+)" + FORMAT, open311.TokenView.as_view(), name="token"),
]
