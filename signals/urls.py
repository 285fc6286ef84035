from django.urls import include, path

from signals import views

app_name = "signals"

urlpatterns = [
    # Public
    path("report/", views.report_new, name="report"),
    path("report/done/", views.report_done, name="report_done"),
    path("report/category-fields/", views.category_fields, name="category_fields"),
    path("report/districts.geojson", views.districts_geojson, name="districts_geojson"),
    path("track/<str:token>/", views.track, name="track"),
    # Public: duplicates and "me too", follow-up by the reporter, the public map
    path("", include("signals.public_urls")),
    # The body's queue and the prosecutor's oversight (before signals/<reference>/)
    path("", include("signals.work_urls")),
    # Staff
    path("signals/", views.report_list, name="list"),
    path("signals/new/", views.staff_new, name="new"),
    path("signals/<str:reference>/", views.report_detail, name="detail"),
    path("signals/<str:reference>/recategorise/", views.report_recategorise, name="recategorise"),
    path("signals/<str:reference>/reroute/", views.report_reroute, name="reroute"),
    path("signals/<str:reference>/transition/", views.report_transition, name="transition"),
    path("signals/<str:reference>/photos/<int:photo_id>/", views.report_photo, name="photo"),
]
