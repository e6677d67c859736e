"""The portal's URLs plus the baseline page, mounted only when the benchmark serves the portal."""

from django.contrib import admin
from django.urls import path

from agreements.models import Agreement
from technopolis_portal.urls import urlpatterns as portal_urlpatterns

from .views import BASELINE_ROWS, baseline

# The admin changelist shows as many rows as the baseline, so that both render the same rows.
admin.site._registry[Agreement].list_per_page = BASELINE_ROWS

urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *portal_urlpatterns]
