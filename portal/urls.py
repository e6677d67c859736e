from django.urls import path

from .views import dashboard, profile, search

app_name = "portal"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("search/", search.search, name="search"),
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/profile/calendar-token/", profile.calendar_token, name="calendar_token"),
    # No login: the secret token in the URL is the credential, for calendar applications.
    path("calendar/<str:token>.ics", profile.calendar_feed, name="calendar_feed"),
]
