"""The partner pages: a partner contact, with no account, opens their personal link and answers.

Opening a valid link puts the link's id in the session; every partner page checks it again (still
valid, not revoked) and reaches only what that contact may see. The session signs in nobody: the
staff portal, the admin and the API stay closed to it.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from . import links, selectors, services
from .forms import CommentForm, ConfirmForm, LinkRequestForm, ProposeForm, add_service_errors
from .models import MilestoneComment

SESSION_KEY = "partner_link"


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The page for a partner who reached a rate limit (settings.RATELIMIT_VIEW)."""
    return render(request, "partners/rate_limited.html", status=429)


def _partner_key(group: str, request: HttpRequest) -> str:
    """Partner actions are counted per link's contact (whatever the address they come from)."""
    return str(request.session.get(SESSION_KEY, "")) or request.META.get("REMOTE_ADDR", "")


def _address_key(group: str, request: HttpRequest) -> str:
    return (request.POST.get("address") or "").strip().lower()


def partner_required(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        link_id = request.session.get(SESSION_KEY)
        link = services.link_still_valid(link_id) if isinstance(link_id, int) else None
        if link is None:
            request.session.pop(SESSION_KEY, None)
            if request.method != "GET":  # an action without a valid link: refused, nothing written
                return render(request, "partners/link_invalid.html", {"form": LinkRequestForm()}, status=403)
            return redirect("partners:request")
        request.partner = link.person
        request.partner_link = link
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            # The contact's own language, unless they chose another on the page.
            translation.activate(link.person.language)
            request.LANGUAGE_CODE = link.person.language
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
def link_open(request: HttpRequest, token: str) -> HttpResponse:
    signed = links.key_from_token(token)
    link = services.link_open(key=signed[0], address=signed[1]) if signed else None
    if link is None:
        request.session.pop(SESSION_KEY, None)
        return render(request, "partners/link_invalid.html", {"form": LinkRequestForm()}, status=403)
    request.session.cycle_key()  # a link opened on a shared computer starts a session of its own
    request.session[SESSION_KEY] = link.pk
    return redirect("partners:home")


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=lambda group, request: settings.PARTNER_LINK_REQUEST_RATE, method="POST", block=True)
@ratelimit(key=_address_key, rate=lambda group, request: settings.PARTNER_LINK_REQUEST_RATE, method="POST", block=True)
def link_request(request: HttpRequest) -> HttpResponse:
    """A partner who lost their link types their address; the answer never says whether it is known."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.link_request(address=form.cleaned_data["address"])
        return render(request, "partners/link_requested.html", {"address": form.cleaned_data["address"]})
    return render(request, "partners/link_request.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return render(request, "partners/left.html")


@require_GET
@partner_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/home.html",
        {
            "person": request.partner,
            "link": request.partner_link,
            "agreements": selectors.partner_home(request.partner),
        },
    )


def _milestone_page(request: HttpRequest, milestone, *, forms: dict, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    state = selectors.milestone_state(milestone, staff=False)
    context = {
        "person": request.partner,
        "link": request.partner_link,
        "state": state,
        "my_side": state.side_state(request.partner.technopolis_id),
        "confirm_form": forms.get("confirm") or ConfirmForm(today=today),
        "propose_form": forms.get("propose") or ProposeForm(today=today),
        "comment_form": forms.get("comment") or CommentForm(),
    }
    return render(request, "partners/milestone.html", context, status=status)


@require_GET
@partner_required
def milestone(request: HttpRequest, milestone_pk: int) -> HttpResponse:
    return _milestone_page(request, selectors.partner_milestone(request.partner, milestone_pk=milestone_pk), forms={})


def _act(request: HttpRequest, milestone_pk: int, name: str, form, do) -> HttpResponse:
    """Runs a partner's action from a valid form; shows the page again with the messages otherwise."""
    milestone = selectors.partner_milestone(request.partner, milestone_pk=milestone_pk)
    if form.is_valid():
        try:
            message = do(milestone, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("partners:milestone", milestone_pk=milestone.pk)
    return _milestone_page(request, milestone, forms={name: form}, status=400)


_action_rate = ratelimit(key=_partner_key, rate=lambda group, request: settings.PARTNER_ACTION_RATE, block=True)


@require_POST
@partner_required
@_action_rate
def confirm(request: HttpRequest, milestone_pk: int) -> HttpResponse:
    today = timezone.localdate()

    def do(milestone, data):
        services.partner_confirm(
            milestone=milestone,
            person=request.partner,
            completed_on=data["completed_on"],
            note=data["note"],
            today=today,
        )
        return _("Thank you: your confirmation is recorded and awaits the other side's staff.")

    return _act(request, milestone_pk, "confirm", ConfirmForm(request.POST, today=today), do)


@require_POST
@partner_required
@_action_rate
def propose(request: HttpRequest, milestone_pk: int) -> HttpResponse:
    today = timezone.localdate()

    def do(milestone, data):
        services.due_date_propose(
            milestone=milestone,
            person=request.partner,
            proposed_due_on=data["proposed_due_on"],
            reason=data["reason"],
            today=today,
        )
        return _("Thank you: your proposal is recorded; staff will accept or decline it.")

    return _act(request, milestone_pk, "propose", ProposeForm(request.POST, today=today), do)


@require_POST
@partner_required
@_action_rate
def comment(request: HttpRequest, milestone_pk: int) -> HttpResponse:
    def do(milestone, data):
        services.comment_add(
            milestone=milestone, person=request.partner, body=data["body"], evidence=data.get("evidence")
        )
        return _("Your message is in the milestone's thread.")

    return _act(request, milestone_pk, "comment", CommentForm(request.POST, request.FILES), do)


@require_GET
@partner_required
def evidence(request: HttpRequest, milestone_pk: int, comment_pk: int) -> FileResponse:
    milestone = selectors.partner_milestone(request.partner, milestone_pk=milestone_pk)
    found = get_object_or_404(MilestoneComment, pk=comment_pk, milestone=milestone, staff_only=False)
    return evidence_response(found)


def evidence_response(found: MilestoneComment) -> FileResponse:
    if not found.evidence:
        raise Http404("No file")
    try:
        handle = found.evidence.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    return FileResponse(handle, as_attachment=True, filename=found.original_filename or "evidence")
