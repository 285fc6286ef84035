from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("metrics/", views.catalogue, name="catalogue"),
]
