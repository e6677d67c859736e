from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("milestones/", views.milestone_list, name="milestones"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/status/", views.agreement_change_status, name="change_status"),
    path("<int:pk>/archive/", views.agreement_archive, name="archive"),
    path("<int:pk>/restore/", views.agreement_restore, name="restore"),
    path("<int:pk>/milestones/<int:milestone_pk>/done/", views.milestone_mark_done, name="milestone_done"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
]
