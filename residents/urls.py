from django.urls import path

from . import views

app_name = "residents"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("new/", views.company_create, name="create"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/edit/", views.company_edit, name="edit"),
]

# Mounted at /ip/ under the "ip" namespace by the project's urls.
ip_patterns = [
    path("", views.ip_list, name="list"),
    path("<int:pk>/", views.ip_detail, name="detail"),
]
