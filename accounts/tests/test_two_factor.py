"""Two-factor sign-in (TOTP): optional in the portal, required for Django admin."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains

from tests.factories import SuperuserFactory, UserFactory
from tests.support.twofactor import current_code, totp_device, verified_login

PASSWORD = "a-long-enough-password"
SETUP = "/accounts/two-factor/"
VERIFY = "/accounts/two-factor/verify/"


def log_in(client, user, **data):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, **data})


def test_the_two_factor_pages_keep_their_paths():
    assert reverse("accounts:two_factor_setup") == SETUP
    assert reverse("accounts:two_factor_verify") == VERIFY


def test_the_setup_page_needs_login(client, db):
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_staff_member_sets_up_an_app_by_scanning_and_confirming_a_code(client, db):
    user = UserFactory(password=PASSWORD)
    client.force_login(user)

    page = client.get(SETUP)

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assertContains(page, "<svg")
    assertContains(page, "otpauth://totp/")
    assert "<script" not in page.content.decode().replace('<script src="', "")
    # Reloading keeps the same secret, so a half-finished scan still works.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post(SETUP, {"otp_token": current_code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_does_not_turn_two_factor_on(client, db):
    user = UserFactory(password=PASSWORD)
    client.force_login(user)
    client.get(SETUP)

    response = client.post(SETUP, {"otp_token": "000000"})

    assert response.status_code == 200
    assertContains(response, "This code is not valid")
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_without_a_device_the_portal_opens_right_after_the_password(client, db):
    user = UserFactory(password=PASSWORD)

    assert log_in(client, user).url == reverse("portal:dashboard")
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_with_a_device_the_portal_asks_for_the_code_before_anything_else(client, db):
    user = UserFactory(password=PASSWORD)
    device = totp_device(user)
    log_in(client, user)

    response = client.get(reverse("agreements:list"))

    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Fagreements%2F"
    assert client.get(VERIFY).status_code == 200

    wrong = client.post(VERIFY + "?next=/agreements/", {"otp_token": "123456", "next": "/agreements/"})
    assert wrong.status_code == 200
    assert client.get(reverse("agreements:list")).status_code == 302
    # The throttle delay after a wrong code has passed.
    device.refresh_from_db()
    device.throttle_reset()

    right = client.post(VERIFY, {"otp_token": current_code(device), "next": "/agreements/"})
    assert right.url == "/agreements/"
    assert client.get(reverse("agreements:list")).status_code == 200


def test_the_code_page_never_leads_off_the_site(client, db):
    user = UserFactory(password=PASSWORD)
    device = totp_device(user)
    log_in(client, user)

    response = client.post(VERIFY, {"otp_token": current_code(device), "next": "https://evil.example/"})

    assert response.url == SETUP


def test_a_used_code_cannot_be_used_again(client, db):
    user = UserFactory(password=PASSWORD)
    device = totp_device(user)
    code = current_code(device)
    log_in(client, user)
    client.post(VERIFY, {"otp_token": code})

    other = client.__class__()
    log_in(other, user)
    assert other.post(VERIFY, {"otp_token": code}).status_code == 200


def test_guessing_codes_is_slowed_down(client, db):
    user = UserFactory(password=PASSWORD)
    device = totp_device(user)
    log_in(client, user)
    client.post(VERIFY, {"otp_token": "000000"})

    # Right after a failure even the right code waits for the throttle delay.
    response = client.post(VERIFY, {"otp_token": current_code(device)})

    assert response.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_turning_two_factor_off_needs_a_current_code(client, db):
    user = UserFactory(password=PASSWORD)
    device = verified_login(client, user)
    assertContains(client.get(SETUP), "Two-factor sign-in is on")

    refused = client.post(reverse("accounts:two_factor_remove"), {"otp_token": "000000"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("accounts:two_factor_remove"), {"otp_token": current_code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


# --- Admin -----------------------------------------------------------------------------------------


def test_admin_without_a_device_is_sent_to_set_one_up(client, db):
    admin = SuperuserFactory(password=PASSWORD)
    log_in(client, admin)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    login_page = client.get(response.url)

    assert login_page.status_code == 302
    assert login_page.url.startswith(SETUP)
    assertContains(client.get(login_page.url), "Administration requires two-factor sign-in")


def test_admin_with_a_device_enters_a_code_then_the_admin_opens(client, db):
    admin = SuperuserFactory(password=PASSWORD)
    device = totp_device(admin)
    log_in(client, admin)
    assert client.get(reverse("admin:index")).url.startswith(VERIFY)

    client.post(VERIFY, {"otp_token": current_code(device), "next": reverse("admin:index")})

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_session_without_the_second_factor_never_opens_an_admin_page(client, db):
    admin = SuperuserFactory(password=PASSWORD)
    client.force_login(admin)

    response = client.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_admin_client_fixture_is_verified(admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200
