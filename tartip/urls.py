from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from accounts.api import MeView
from lib import health

# Refusals are recorded in the audit log.
handler403 = "accounts.auth_views.permission_denied"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # The machine interfaces first: each request tries the patterns in order, and the intake
    # endpoints are the busiest (signals.urls, included at "", would be tried in full before them).
    path("api/v1/me/", MeView.as_view(), name="api-me"),
    path("api/v1/registry/", include("registry.api_urls")),
    path("api/v1/", include("signals.api_urls")),
    path("open311/v2/", include("signals.open311_urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("signals.urls")),
    path("supervision/", include("supervision.urls")),
    path("board/", include("board.urls")),
    path("registry/", include("registry.urls")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
