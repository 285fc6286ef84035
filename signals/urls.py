from django.urls import path

from signals import views

app_name = "signals"

urlpatterns = [
    # Public
    path("report/", views.report_new, name="report"),
    path("report/done/", views.report_done, name="report_done"),
    path("report/category-fields/", views.category_fields, name="category_fields"),
    path("report/districts.geojson", views.districts_geojson, name="districts_geojson"),
    path("track/<str:token>/", views.track, name="track"),
    # Staff
    path("signals/", views.report_list, name="list"),
    path("signals/new/", views.staff_new, name="new"),
    path("signals/<str:reference>/", views.report_detail, name="detail"),
    path("signals/<str:reference>/recategorise/", views.report_recategorise, name="recategorise"),
    path("signals/<str:reference>/reroute/", views.report_reroute, name="reroute"),
    path("signals/<str:reference>/transition/", views.report_transition, name="transition"),
    path("signals/<str:reference>/photos/<int:photo_id>/", views.report_photo, name="photo"),
]
