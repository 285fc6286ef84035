"""Public pages around a report (included in the `signals` namespace at the site root):
duplicate suggestions and "me too", the reporter's follow-up, the public map."""

from django.urls import path

from signals.views import public

urlpatterns = [
    path("report/nearby/", public.nearby, name="nearby"),
    path("report/me-too/done/", public.me_too_done, name="me_too_done"),
    path("report/<str:reference>/me-too/", public.me_too, name="me_too"),
    path("track/<str:token>/follow-up/", public.followup_add, name="followup_add"),
    path("track/<str:token>/not-resolved/", public.followup_not_resolved, name="followup_not_resolved"),
    path("track/<str:token>/rate/", public.followup_rate, name="followup_rate"),
    path("map/", public.public_map, name="public_map"),
    path("map/reports.geojson", public.map_reports, name="public_map_reports"),
]
