from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.two_factor_setup, name="two_factor_setup"),
    path("verify/", views.two_factor_verify, name="two_factor_verify"),
    path("remove/", views.two_factor_remove, name="two_factor_remove"),
]
