from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.network, name="network"),
    path("edge/<int:park_a>/<int:park_b>/", views.edge, name="edge"),
    path("coverage/", views.coverage, name="coverage"),
    path("track-record/", views.track_record, name="track_record"),
]
