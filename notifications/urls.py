from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("agreements/<int:pk>/notifications/", views.agreement_notifications, name="agreement"),
    path("agreements/<int:pk>/notifications/subscriptions/", views.subscription_add, name="subscription_add"),
    path(
        "agreements/<int:pk>/notifications/subscriptions/<int:subscription_pk>/remove/",
        views.subscription_remove,
        name="subscription_remove",
    ),
    path(
        "agreements/<int:pk>/notifications/subscriptions/<int:subscription_pk>/preview/",
        views.subscription_preview,
        name="subscription_preview",
    ),
    path(
        "agreements/<int:pk>/notifications/milestones/<int:milestone_pk>/snooze/",
        views.milestone_snooze,
        name="milestone_snooze",
    ),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/snooze/<str:token>/", views.snooze_by_link, name="snooze"),
]
