from django.urls import path

from . import staff_views, views

app_name = "partners"
urlpatterns = [
    # The partner pages: no login; the personal link (a signed key) is the credential.
    path("partner/open/<str:token>/", views.link_open, name="open"),
    path("partner/link/", views.link_request, name="request"),
    path("partner/leave/", views.leave, name="leave"),
    path("partner/", views.home, name="home"),
    path("partner/milestones/<int:milestone_pk>/", views.milestone, name="milestone"),
    path("partner/milestones/<int:milestone_pk>/confirm/", views.confirm, name="confirm"),
    path("partner/milestones/<int:milestone_pk>/propose/", views.propose, name="propose"),
    path("partner/milestones/<int:milestone_pk>/comment/", views.comment, name="comment"),
    path("partner/milestones/<int:milestone_pk>/evidence/<int:comment_pk>/", views.evidence, name="evidence"),
    # Staff.
    path("waiting/", staff_views.waiting, name="waiting"),
    path("agreements/<int:pk>/milestones/<int:milestone_pk>/", staff_views.milestone, name="staff_milestone"),
    path("agreements/<int:pk>/milestones/<int:milestone_pk>/read/", staff_views.comments_read, name="comments_read"),
    path(
        "agreements/<int:pk>/milestones/<int:milestone_pk>/evidence/<int:comment_pk>/",
        staff_views.staff_evidence,
        name="staff_evidence",
    ),
    path("partners/confirmations/<int:pk>/decide/", staff_views.confirmation_decide, name="confirmation_decide"),
    path("partners/proposals/<int:pk>/decide/", staff_views.proposal_decide, name="proposal_decide"),
    path("partners/links/", staff_views.links, name="links"),
    path("partners/links/<int:pk>/revoke/", staff_views.link_revoke, name="link_revoke"),
]
