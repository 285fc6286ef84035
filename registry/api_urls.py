"""The registry's REST API under /api/v1/registry/ (see registry/api.py)."""

from django.urls import path

from . import api

app_name = "registry-api"

urlpatterns = [
    path("lookup", api.LookupView.as_view(), name="lookup"),
]
