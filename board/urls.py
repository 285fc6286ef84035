from django.urls import path

from board import views

app_name = "board"

urlpatterns = [
    path("directives/<int:pk>/", views.directive_detail, name="directive"),
]
