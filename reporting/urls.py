from django.urls import path

from . import document_views, map_views, views

app_name = "reporting"

urlpatterns = [
    path("metrics/", views.catalogue, name="catalogue"),
    path("summaries/", views.summary_list, name="summaries"),
    path("summaries/new/", views.summary_new, name="summary_new"),
    path("summaries/preview/", views.summary_preview, name="summary_preview"),
    path("summaries/<int:pk>/", views.summary_latest, name="summary"),
    path("summaries/<int:pk>/v<int:number>/", views.version_detail, name="version"),
    path("summaries/<int:pk>/v<int:number>/text/", views.version_text, name="version_text"),
    path("summaries/<int:pk>/v<int:number>/export/", views.version_export, name="version_export"),
    path(
        "summaries/<int:pk>/v<int:number>/download/<str:format_>/",
        document_views.version_download,
        name="version_download",
    ),
    path("summaries/<int:pk>/v<int:number>/figures/<str:code>/", views.version_figure, name="version_figure"),
    path("summaries/<int:pk>/v<int:number>/<slug:action>/", views.version_action, name="version_action"),
    path("figures/<str:code>/", views.figure_detail, name="figure"),
    path("map/", map_views.summary_map_page, name="summary_map"),
    path("map/data/", map_views.summary_map_data, name="summary_map_data"),
]
