"""The pages about people, mounted at the site's root: their paths are part of the interface."""

from django.urls import include, path

from .views import language, two_factor

app_name = "accounts"

two_factor_patterns = [
    path("", two_factor.two_factor_setup, name="two_factor_setup"),
    path("verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("remove/", two_factor.two_factor_remove, name="two_factor_remove"),
]

urlpatterns = [
    path("accounts/two-factor/", include(two_factor_patterns)),
    # The language switcher (Django's set_language), which also saves the choice in the profile.
    path("i18n/setlang/", language.set_language, name="set_language"),
]
