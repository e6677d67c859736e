from django.urls import path

from . import views

app_name = "releases"
urlpatterns = [
    path("", views.release_start, name="start"),
    path("review/", views.release_confirm, name="confirm"),
]
