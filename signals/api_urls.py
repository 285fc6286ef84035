"""REST API of signals under /api/v1/ (see signals/api.py)."""

from django.urls import path

from signals import api

app_name = "api"

urlpatterns = [
    path("categories/", api.CategoryListView.as_view(), name="categories"),
    path("reports/", api.ReportsView.as_view(), name="reports"),
    path("reports/<str:reference>/", api.ReportDetailView.as_view(), name="report"),
]
