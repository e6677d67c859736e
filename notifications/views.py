"""Pages about notifications: an agreement's delivery log and subscriptions, previews, token links.

The agreement pages need a login and follow agreements.access (404 for an agreement the user may
not see, 403 for changes they may not make, and for its contacts and delivery log unless they are
staff of one of its parties). The unsubscribe and snooze pages work from a signed
link in an e-mail, without a login.
"""

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from agreements.access import can_edit_agreement, get_agreement_with_contacts, get_editable_agreement
from agreements.models import Milestone

from . import links, selectors, services
from .digests import digest_preview
from .forms import SubscriptionForm
from .models import Subscription


def _crumbs(agreement, *extra) -> list:
    return [
        (_("Agreements"), reverse("agreements:list")),
        (agreement.reference, reverse("agreements:detail", args=[agreement.pk])),
        (_("Notifications"), reverse("notifications:agreement", args=[agreement.pk]) if extra else None),
        *extra,
    ]


def _followed_subscription(agreement, subscription_pk: int) -> Subscription:
    for subscription in selectors.agreement_subscriptions(agreement):
        if subscription.pk == subscription_pk:
            return subscription
    raise Http404("No such subscription on this agreement")


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_of_field in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_of_field)


def _page(request, agreement, form=None, status=200):
    can_edit = can_edit_agreement(request.user, agreement)
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "emails": selectors.agreement_delivery_log(agreement),
        "subscriptions": selectors.agreement_subscriptions(agreement),
        "overdue_milestones": selectors.snoozable_milestones(agreement, today=today) if can_edit else [],
        "can_edit": can_edit,
        "form": (form or SubscriptionForm(user=request.user)) if can_edit else None,
        "today": today,
        "crumbs": _crumbs(agreement),
    }
    return render(request, "notifications/agreement.html", context, status=status)


@login_required
def agreement_notifications(request, pk: int):
    return _page(request, get_agreement_with_contacts(request.user, pk))


@login_required
@require_POST
def subscription_add(request, pk: int):
    agreement = get_editable_agreement(request.user, pk)
    form = SubscriptionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, agreement, form=form)
    try:
        subscription = services.subscription_create(
            agreement=agreement,
            delivery=form.cleaned_data["delivery"],
            frequency=form.cleaned_data["frequency"],
            language=form.cleaned_data["language"],
            **form.subscriber(),
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _page(request, agreement, form=form, status=400)
    messages.success(request, _("%(person)s now follows this agreement.") % {"person": subscription.recipient_name})
    return redirect("notifications:agreement", pk=agreement.pk)


@login_required
@require_POST
def subscription_remove(request, pk: int, subscription_pk: int):
    agreement = get_editable_agreement(request.user, pk)
    subscription = _followed_subscription(agreement, subscription_pk)
    if agreement not in subscription.agreements.all():
        # Followed through a park: that subscription is managed in admin, not per agreement.
        raise PermissionDenied
    services.subscription_remove_agreement(subscription=subscription, agreement=agreement)
    messages.success(
        request, _("%(person)s no longer follows this agreement.") % {"person": subscription.recipient_name}
    )
    return redirect("notifications:agreement", pk=agreement.pk)


@login_required
# The e-mail shown in the sandboxed frame inherits this page's CSP and needs its inline styles.
@csp_update({"style-src": ["'unsafe-inline'"]})
def subscription_preview(request, pk: int, subscription_pk: int):
    agreement = get_agreement_with_contacts(request.user, pk)
    subscription = _followed_subscription(agreement, subscription_pk)
    if subscription.delivery != Subscription.Delivery.DIGEST:
        raise Http404("Only digests can be previewed")
    today = timezone.localdate()
    scope = selectors.digest_preview_scope(subscription=subscription, user=request.user)
    context = {
        "agreement": agreement,
        "subscription": subscription,
        "preview": digest_preview(subscription, today=today, visible_agreement_ids=scope.visible_agreement_ids),
        "hidden": scope.hidden,
        "today": today,
        "crumbs": _crumbs(agreement, (_("Digest preview"), None)),
    }
    return render(request, "notifications/preview.html", context)


@login_required
@require_POST
def milestone_snooze(request, pk: int, milestone_pk: int):
    agreement = get_editable_agreement(request.user, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, agreement=agreement)
    snooze = services.milestone_snooze(milestone=milestone, today=timezone.localdate(), by=request.user.get_username())
    if snooze is None:
        messages.info(request, _("This milestone is not overdue; there is nothing to pause."))
    else:
        messages.success(
            request,
            _("Overdue reminders about “%(milestone)s” are paused until %(date)s.")
            % {"milestone": milestone.title, "date": snooze.until.isoformat()},
        )
    return redirect("notifications:agreement", pk=agreement.pk)


# Token-authenticated: mail clients POST here for a one-click unsubscribe (RFC 8058) without any
# CSRF token; the signed token in the path is what proves the request comes from the e-mail.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscription_id = links.subscription_id_from_token(token)
    subscription = get_object_or_404(Subscription.objects.select_related("person", "user"), pk=subscription_id or 0)
    done = False
    if request.method == "POST":
        services.subscription_unsubscribe(subscription=subscription)
        done = True
    context = {"subscription": subscription, "done": done or not subscription.is_active}
    return render(request, "notifications/unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
def snooze_by_link(request, token: str):
    found = links.snooze_from_token(token)
    if found is None:
        raise Http404("This link is not valid or has expired")
    milestone = get_object_or_404(Milestone.objects.select_related("agreement"), pk=found[0])
    snooze = None
    if request.method == "POST":
        snooze = services.milestone_snooze(milestone=milestone, today=timezone.localdate(), by=found[1])
    context = {"milestone": milestone, "posted": request.method == "POST", "snooze": snooze}
    return render(request, "notifications/snooze.html", context)
