"""The profile page, the calendar subscription token, and the calendar feed it opens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.selectors import user_language

from .. import feeds, selectors, services
from ..forms import CalendarTokenForm


def _feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("portal:calendar_feed", args=[token])


@login_required
def profile(request):
    token = selectors.calendar_token_of(request.user)
    context = {
        "memberships": selectors.memberships_of(request.user),
        "calendar_token": token,
        "feed_url": _feed_url(token.token) if token else None,
        "crumbs": [(_("Profile"), None)],
    }
    return render(request, "portal/profile.html", context)


@login_required
@require_POST
def calendar_token(request):
    form = CalendarTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action on the calendar link."))
        return redirect("portal:profile")
    action = form.cleaned_data["action"]
    if action == "create":
        services.calendar_token_create(user=request.user)
        messages.success(request, _("Your calendar link is ready. Add it to your calendar application."))
    elif action == "regenerate":
        services.calendar_token_regenerate(user=request.user)
        messages.success(request, _("Your calendar link was replaced; the old link no longer works."))
    else:
        services.calendar_token_revoke(user=request.user)
        messages.success(request, _("Your calendar link was revoked; it no longer works."))
    return redirect("portal:profile")


@require_safe
def calendar_feed(request, token: str):
    """No login: calendar applications cannot sign in, so the secret token is the credential."""
    owner = selectors.calendar_token_by_value(token)
    if owner is None:
        raise Http404("No such calendar")
    milestones = selectors.feed_milestones(user=owner.user, today=timezone.localdate())
    # In its owner's language, not that of whichever calendar application fetches it.
    with translation.override(user_language(user=owner.user)):
        calendar = feeds.milestone_calendar(milestones)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="milestones.ics"'
    # The response is personal: shared caches must not keep it.
    response["Cache-Control"] = "private, max-age=300"
    return response
