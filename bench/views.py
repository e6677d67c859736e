"""The baseline: what Django costs at the least for a logged-in page of rows (one query, a plain template)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from agreements.models import Agreement

BASELINE_ROWS = 50


@login_required
def baseline(request):
    rows = Agreement.objects.order_by("-signed_on", "reference", "pk").values_list(
        "reference", "title", "status", "signed_on", "expires_on"
    )[:BASELINE_ROWS]
    return render(request, "bench/baseline.html", {"rows": rows})
