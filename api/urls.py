"""The REST API, version 1: /api/v1/ (resources), /api/v1/schema/ (OpenAPI) and /api/v1/docs/."""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("parks", views.ParkViewSet, basename="park")
router.register("companies", views.CompanyViewSet, basename="company")
router.register("ip", views.IntellectualPropertyViewSet, basename="ip")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("know-how", views.KnowHowViewSet, basename="know-how")
router.register("documents", views.DocumentViewSet, basename="document")

# Swagger UI's page carries a small inline <style> block; its scripts are files served by the
# portal (drf-spectacular-sidecar), so only styles are relaxed, on this page only.
docs_view = csp_update({"style-src": ["'unsafe-inline'"]})(
    login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))
)

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", docs_view, name="docs"),
]
