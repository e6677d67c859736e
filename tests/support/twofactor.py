"""Two-factor sign-in in tests: a confirmed TOTP device, its current code, a verified session."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=confirmed)


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now, computed from the device's key as the app does."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead)
    return str(code).zfill(device.digits)


def verified_login(client, user) -> TOTPDevice:
    """Logs the user in as if they had entered their password and a valid code: admin pages open."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.pop("two_factor_pending", None)
    session.save()
    return device
