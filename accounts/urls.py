from django.urls import path

from accounts import auth_views, notification_views, region_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.logout, name="logout"),
    path("otp/", auth_views.otp_verify, name="otp_verify"),
    path("otp/setup/", auth_views.otp_setup, name="otp_setup"),
    path("language/", views.set_language, name="set_language"),
    path("directory/", views.directory, name="directory"),
    path("directory/<slug:code>/", views.directory_detail, name="directory_detail"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/read/", notification_views.notifications_read, name="notifications_read"),
    path("map/", region_views.region_overview, name="region_map"),
    path("map/districts.geojson", region_views.districts_geojson, name="districts_geojson"),
]
