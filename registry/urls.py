from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.registry_home, name="home"),
    path("new/", views.indicator_new, name="new"),
    path("allow-list/", views.allow_list, name="allow_list"),
    path("outreach/", views.outreach, name="outreach"),
    path("<int:pk>/", views.indicator_detail, name="indicator"),
    path("<int:pk>/unmask/", views.indicator_unmask, name="unmask"),
    path("<int:pk>/confirm/", views.indicator_confirm, name="confirm"),
    path("sightings/<int:pk>/unlink/", views.sighting_unlink, name="unlink"),
]
