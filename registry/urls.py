from django.urls import path

from .views import indicators, networks, outreach

app_name = "registry"

urlpatterns = [
    path("", indicators.registry_home, name="home"),
    path("new/", indicators.indicator_new, name="new"),
    path("allow-list/", indicators.allow_list, name="allow_list"),
    path("outreach/", outreach.outreach, name="outreach"),
    path("networks/", networks.network_list, name="networks"),
    path("<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("<int:pk>/unmask/", indicators.indicator_unmask, name="unmask"),
    path("<int:pk>/confirm/", indicators.indicator_confirm, name="confirm"),
    path("sightings/<int:pk>/unlink/", indicators.sighting_unlink, name="unlink"),
]
