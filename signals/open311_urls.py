"""Open311 GeoReport v2: every resource with a .json or .xml suffix (see signals/open311.py), and
its OpenAPI schema at schema/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from signals import open311
from signals.open311_schema import SCHEMA_SETTINGS

app_name = "open311"

FORMATS = ("json", "xml")


def both_formats(route: str, view, name: str) -> list:
    """`route.json` and `route.xml`, one pattern each (reversed with kwargs={"format": ...}): the
    schema then has one operation per format, each answering the media type its suffix names."""
    return [re_path(rf"^{route}\.{fmt}$", view, {"format": fmt}, name=name) for fmt in FORMATS]


urlpatterns = [
    *both_formats("discovery", open311.DiscoveryView.as_view(), "discovery"),
    *both_formats("services", open311.ServiceListView.as_view(), "services"),
    *both_formats(r"services/(?P<service_code>[-\w]+)", open311.ServiceDefinitionView.as_view(), "service"),
    *both_formats("requests", open311.RequestsView.as_view(), "requests"),
    *both_formats(r"requests/(?P<service_request_id>[-\w]+)", open311.RequestDetailView.as_view(), "request"),
    *both_formats(r"tokens/(?P<token>[-\w]+)", open311.TokenView.as_view(), "token"),
    path("schema/", SpectacularAPIView.as_view(custom_settings=SCHEMA_SETTINGS), name="schema"),
]
