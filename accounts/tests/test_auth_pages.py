"""Log in, change a password, reset a forgotten one by e-mail: Django's views with the portal's pages."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.asserts import assertContains, assertTemplateUsed

from tests.factories import UserFactory

OLD = "an-old-long-password"
NEW = "a-brand-new-long-password"


@pytest.fixture
def yana(db):
    return UserFactory(username="yana", email="yana@example.org", password=OLD)


def test_login_page_links_to_the_password_reset(client, db):
    response = client.get(reverse("login"))

    assertContains(response, f'href="{reverse("password_reset")}"')
    assertContains(response, "Forgot your password?")


def test_wrong_password_keeps_the_username_and_says_why(client, yana):
    response = client.post(reverse("login"), {"username": "yana", "password": "wrong"})

    assert response.status_code == 200
    assertContains(response, 'value="yana"')
    assert response.context["form"].non_field_errors()


def test_password_change_needs_login(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_works_end_to_end(client, yana):
    client.force_login(yana)

    page = client.get(reverse("password_change"))
    assertTemplateUsed(page, "registration/password_change_form.html")
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )

    assertTemplateUsed(response, "registration/password_change_done.html")
    assertContains(response, "Your password was changed.")
    client.logout()
    assert client.login(request=HttpRequest(), username="yana", password=NEW)
    assert not client.login(request=HttpRequest(), username="yana", password=OLD)


def test_password_change_refuses_a_wrong_old_password_next_to_the_field(client, yana):
    client.force_login(yana)

    response = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assertContains(response, "is-invalid")


def test_password_reset_works_end_to_end(client, yana):
    response = client.post(reverse("password_reset"), {"email": "yana@example.org"}, follow=True)

    assertTemplateUsed(response, "registration/password_reset_done.html")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["yana@example.org"]
    assert message.subject == "Set a new password for the Technopolis Portal"
    assert "yana" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assertTemplateUsed(form_page, "registration/password_reset_confirm.html")
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)

    assertTemplateUsed(done, "registration/password_reset_complete.html")
    assert client.login(request=HttpRequest(), username="yana", password=NEW)
    # The link works once.
    client.logout()
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assertContains(again, "This link does not work")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, yana):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)

    assertTemplateUsed(response, "registration/password_reset_done.html")
    assert mail.outbox == []


def test_logging_out_ends_the_session(client, yana):
    client.force_login(yana)

    client.post(reverse("logout"))

    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_logged_out_page_offers_to_log_in_again(rf):
    # LOGOUT_REDIRECT_URL sends people to the login page; the template is there for other routes.
    request = rf.get("/")
    request.user = AnonymousUser()

    html = render_to_string("registration/logged_out.html", request=request)

    assert "You have logged out" in html
    assert f'href="{reverse("login")}"' in html
