from django.urls import include, path

from signals.views import detail, follow, public, report_form, reports

app_name = "signals"

urlpatterns = [
    # Public
    path("report/", report_form.report_new, name="report"),
    path("report/done/", report_form.report_done, name="report_done"),
    path("report/category-fields/", report_form.category_fields, name="category_fields"),
    path("report/districts.geojson", report_form.districts_geojson, name="districts_geojson"),
    path("track/", follow.follow, name="follow"),
    path("my-reports/", follow.my_reports, name="mine"),
    path("track/<str:token>/", public.track, name="track"),
    # Public: duplicates and "me too", follow-up by the reporter, the public map
    path("", include("signals.public_urls")),
    # The body's queue and the prosecutor's oversight (before signals/<reference>/)
    path("", include("signals.work_urls")),
    # Staff
    path("signals/", reports.report_list, name="list"),
    path("signals/new/", reports.staff_new, name="new"),
    path("signals/<str:reference>/", detail.report_detail, name="detail"),
    path("signals/<str:reference>/recategorise/", reports.report_recategorise, name="recategorise"),
    path("signals/<str:reference>/reroute/", reports.report_reroute, name="reroute"),
    path("signals/<str:reference>/transition/", reports.report_transition, name="transition"),
    path("signals/<str:reference>/photos/<int:photo_id>/", reports.report_photo, name="photo"),
]
