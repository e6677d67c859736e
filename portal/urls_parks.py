from django.urls import path

from .views import parks

app_name = "parks"
urlpatterns = [
    path("", parks.park_list, name="list"),
    path("<str:slug>/", parks.park_detail, name="detail"),
    path("<str:slug>/history/", parks.park_history_page, name="history"),
]
