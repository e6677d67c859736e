"""The pages about people, mounted at the site's root: their paths are part of the interface."""

from django.urls import include, path

from .views import language, staff, two_factor

app_name = "accounts"

two_factor_patterns = [
    path("", two_factor.two_factor_setup, name="two_factor_setup"),
    path("verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("remove/", two_factor.two_factor_remove, name="two_factor_remove"),
]

staff_patterns = [
    path("", staff.staff_list, name="staff"),
    path("add/", staff.staff_add, name="staff_add"),
    path("<int:pk>/edit/", staff.staff_edit, name="staff_edit"),
    path("<int:pk>/remove/", staff.staff_remove, name="staff_remove"),
]

urlpatterns = [
    path("accounts/two-factor/", include(two_factor_patterns)),
    # Park staff, managed by each park's managers (and by admins).
    path("staff/", include(staff_patterns)),
    # The language switcher (Django's set_language), which also saves the choice in the profile.
    path("i18n/setlang/", language.set_language, name="set_language"),
]
