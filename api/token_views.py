"""The API token page under the profile: list one's tokens, create one (shown once), revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiTokenForm
from .models import ApiToken


@login_required
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _record, new_token = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        # Shown in this answer only: the portal keeps just its hash.
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created"),
        "crumbs": [(_("Profile"), reverse("portal:profile")), (_("API tokens"), None)],
    }
    return render(request, "api/token_list.html", context)


@login_required
@require_POST
def token_revoke(request, public_id):
    if not services.api_token_revoke(user=request.user, public_id=public_id):
        # Someone else's token does not exist for this person.
        raise Http404("No token found")
    messages.success(request, _("The token was revoked; requests with it are now refused."))
    return redirect("api_tokens:list")
