from django.urls import path

from .views import graffiti, indicators, outreach

app_name = "registry"

urlpatterns = [
    path("", indicators.registry_home, name="home"),
    path("new/", indicators.indicator_new, name="new"),
    path("allow-list/", indicators.allow_list, name="allow_list"),
    path("outreach/", outreach.outreach, name="outreach"),
    path("graffiti/", graffiti.graffiti_list, name="graffiti"),
    path("<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("<int:pk>/unmask/", indicators.indicator_unmask, name="unmask"),
    path("<int:pk>/confirm/", indicators.indicator_confirm, name="confirm"),
    path("sightings/<int:pk>/unlink/", indicators.sighting_unlink, name="unlink"),
]
