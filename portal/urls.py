from django.urls import path

from .views import dashboard, profile, search, staff

app_name = "portal"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("search/", search.search, name="search"),
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/profile/calendar-token/", profile.calendar_token, name="calendar_token"),
    # No login: the secret token in the URL is the credential, for calendar applications.
    path("calendar/<str:token>.ics", profile.calendar_feed, name="calendar_feed"),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/add/", staff.staff_add, name="staff_add"),
    path("staff/<int:pk>/edit/", staff.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/remove/", staff.staff_remove, name="staff_remove"),
]
