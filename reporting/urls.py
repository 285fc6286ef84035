from django.urls import path

from . import dashboard_views, document_views, map_views, press_views, views

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
    # The press releases (reporting.press_views): before the version's actions, whose slug would match.
    path("summaries/<int:pk>/v<int:number>/press/", press_views.press_releases, name="press_releases"),
    path("summaries/<int:pk>/v<int:number>/press/write/", press_views.press_write, name="press_write"),
    path("summaries/<int:pk>/v<int:number>/press/archive/", press_views.press_archive, name="press_archive"),
    path("press/", press_views.press_index, name="press_index"),
    path("press/<int:pk>/", press_views.press_release, name="press_release"),
    path("press/<int:pk>/text/", press_views.press_release_save, name="press_release_save"),
    path("press/<int:pk>/<slug:action>/", press_views.press_release_action, name="press_release_action"),
    path("summaries/<int:pk>/v<int:number>/<slug:action>/", views.version_action, name="version_action"),
    path("figures/<str:code>/", views.figure_detail, name="figure"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("map/", map_views.summary_map_page, name="summary_map"),
    path("map/data/", map_views.summary_map_data, name="summary_map_data"),
]
