"""Two-factor pages: set up an authenticator app, enter a code after login, remove the device."""

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..forms import TokenForm
from ..sessions import PENDING_KEY


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("accounts:two_factor_setup")


def _qr_code_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _verified(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    request.session.pop(PENDING_KEY, None)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed is not None:
        return render(
            request, "accounts/two_factor_enabled.html", {"device": confirmed, "form": TokenForm(user=request.user)}
        )
    # One pending device per person, kept until confirmed so a reload does not change the secret.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None, user=request.user, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _verified(request, device)
        messages.success(request, _("Two-factor sign-in is on. From now on, log in with a code from your app."))
        return redirect(_next_url(request))
    context = {
        "form": form,
        "secret": base64.b32encode(device.bin_key).decode(),
        "uri": device.config_url,
        "qr_code": _qr_code_svg(device.config_url),
        "next": request.GET.get("next", ""),
        "required_for_admin": request.user.is_staff,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': request.GET.get('next', '')})}")
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        _verified(request, form.matched_device)
        return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:two_factor_setup")
    # Removing the second factor needs a current code: a borrowed session alone is not enough.
    form = TokenForm(request.POST, user=request.user, device=device)
    if not form.is_valid():
        return render(request, "accounts/two_factor_enabled.html", {"device": device, "form": form}, status=400)
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:two_factor_setup")
