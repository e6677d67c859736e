from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/cancel/", views.import_cancel, name="import_cancel"),
    path("templates/<slug:kind>.<str:file_format>", views.import_template, name="template"),
    path("export/<slug:kind>.<str:file_format>", views.export, name="export"),
    path("agreements/<int:pk>/summary.pdf", views.agreement_summary_pdf, name="agreement_pdf"),
]
