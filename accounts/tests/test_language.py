"""A person's language: the switcher changes it, the profile keeps it, sign-in brings it back."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from parks.models import Membership
from tests.factories import TechnopolisFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return member(TechnopolisFactory(), Membership.Role.EDITOR, username="editor")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_switcher_changes_the_language_and_the_profile_remembers_it(client, editor):
    client.force_login(editor)
    assert "Главная" not in page(client, reverse("portal:dashboard"))

    response = client.post(reverse("accounts:set_language"), {"language": "ru", "next": reverse("agreements:list")})

    assert response.status_code == 302 and response.url == reverse("agreements:list")
    assert Profile.objects.get(user=editor).language == "ru"
    assert "Соглашения" in page(client, reverse("agreements:list"))
    # Another browser, without the language cookie: signing in brings the profile's language back.
    other_browser = client.__class__()
    other_browser.force_login(editor)
    html = page(other_browser, reverse("portal:dashboard"))
    assert '<html lang="ru">' in html and "Просроченные этапы" in html


def test_the_switcher_is_on_the_login_page_and_an_unknown_language_changes_nothing(client, editor):
    html = page(client, reverse("login"))
    assert 'name="language" value="ru"' in html

    client.post(reverse("accounts:set_language"), {"language": "ru", "next": reverse("login")})
    assert "Войти" in page(client, reverse("login"))
    # Signing in with no language in the profile yet keeps the one chosen on the login page.
    editor.set_password("correct-horse-battery-staple")
    editor.save()
    client.post(reverse("login"), {"username": "editor", "password": "correct-horse-battery-staple"})
    assert Profile.objects.get(user=editor).language == "ru"
    client.logout()
    Profile.objects.filter(user=editor).delete()

    client.force_login(editor)
    client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    assert not Profile.objects.filter(user=editor).exists()
