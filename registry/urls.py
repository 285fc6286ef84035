from django.urls import path

from .views import indicators, notices, outreach

app_name = "registry"

urlpatterns = [
    path("", indicators.registry_home, name="home"),
    path("new/", indicators.indicator_new, name="new"),
    path("allow-list/", indicators.allow_list, name="allow_list"),
    path("outreach/", outreach.outreach, name="outreach"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/columns/", notices.notice_columns, name="notice_columns"),
    path("notices/<int:pk>/read-again/", notices.notice_read_again, name="notice_read_again"),
    path("<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("<int:pk>/unmask/", indicators.indicator_unmask, name="unmask"),
    path("<int:pk>/confirm/", indicators.indicator_confirm, name="confirm"),
    path("sightings/<int:pk>/unlink/", indicators.sighting_unlink, name="unlink"),
]
