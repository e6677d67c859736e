"""Park staff accounts: managers (and admins) add people, change roles and remove memberships."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from parks.models import Membership
from tests.factories import MembershipFactory, SuperuserFactory, TechnopolisFactory, UserFactory, member

User = get_user_model()
LIST = reverse("accounts:staff")
ADD = reverse("accounts:staff_add")


def edit_url(membership: Membership) -> str:
    return reverse("accounts:staff_edit", args=[membership.pk])


def remove_url(membership: Membership) -> str:
    return reverse("accounts:staff_remove", args=[membership.pk])


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://portal.example"


@pytest.fixture
def park_a(db):
    return TechnopolisFactory(name="Technopolis Khimgrad", short_name="Khimgrad")


@pytest.fixture
def park_b(db):
    return TechnopolisFactory(name="Technopolis Idea", short_name="Idea")


@pytest.fixture
def manager(park_a):
    return member(park_a, Membership.Role.MANAGER, username="manager", first_name="Marat", last_name="Valiev")


def new_person(park, **fields) -> dict:
    return {
        "email": "new.person@example.org",
        "first_name": "Nina",
        "last_name": "Petrova",
        "technopolis": park.pk,
        "role": Membership.Role.EDITOR,
        **fields,
    }


# --- Who may open the pages ---------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(client, park_a):
    membership = MembershipFactory(technopolis=park_a)
    for url in [LIST, ADD, edit_url(membership), remove_url(membership)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.EDITOR])
def test_viewers_and_editors_are_refused_every_staff_page(client, park_a, role):
    other = MembershipFactory(technopolis=park_a)
    client.force_login(member(park_a, role))

    for url in [LIST, ADD, edit_url(other), remove_url(other)]:
        assert client.get(url).status_code == 403, url
    assert client.post(ADD, new_person(park_a)).status_code == 403
    assert client.post(edit_url(other), {"role": Membership.Role.MANAGER}).status_code == 403
    assert client.post(remove_url(other)).status_code == 403
    other.refresh_from_db()
    assert other.role == Membership.Role.VIEWER
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_person_without_parks_is_refused(client, db):
    client.force_login(UserFactory())

    assert client.get(LIST).status_code == 403


def test_manager_lists_the_members_of_their_parks_only(client, park_a, park_b, manager):
    MembershipFactory(technopolis=park_a, user=UserFactory(username="ours"), role=Membership.Role.EDITOR)
    MembershipFactory(technopolis=park_b, user=UserFactory(username="theirs"))
    client.force_login(manager)

    response = client.get(LIST)

    names = {membership.user.username for membership in response.context["memberships"]}
    assert names == {"manager", "ours"}
    assertNotContains(response, "theirs")


def test_admin_lists_every_membership(client, park_a, park_b, manager):
    MembershipFactory(technopolis=park_b, user=UserFactory(username="theirs"))
    client.force_login(SuperuserFactory())

    response = client.get(LIST)

    assert {m.user.username for m in response.context["memberships"]} == {"manager", "theirs"}


# --- Adding people ------------------------------------------------------------------------------


def test_manager_adds_a_new_person_who_gets_an_email_to_set_a_password(
    client, park_a, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, new_person(park_a), follow=True)

    person = User.objects.get(email="new.person@example.org")
    assert person.is_active
    assert not person.has_usable_password()
    assert (person.first_name, person.last_name) == ("Nina", "Petrova")
    assert Membership.objects.get(user=person).role == Membership.Role.EDITOR
    assertContains(response, "we e-mailed them a link to choose a password")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Khimgrad" in message.subject
    link = re.search(r"https://portal\.example/accounts/reset/\S+", message.body)
    assert link, message.body

    # The link lets the new person choose a password and log in with it.
    client.logout()
    form_page = client.get(link.group(0), follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-long-secret", "new_password2": "a-fresh-long-secret"},
    )
    assert client.login(request=HttpRequest(), username=person.username, password="a-fresh-long-secret")


def test_adding_someone_who_has_an_account_adds_the_membership_without_email(
    client, park_a, park_b, manager, django_capture_on_commit_callbacks
):
    existing = member(park_b, email="Known.Person@example.org", first_name="Old")
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, new_person(park_a, email="known.person@example.org", first_name="New"))

    assert Membership.objects.get(user=existing, technopolis=park_a).role == Membership.Role.EDITOR
    existing.refresh_from_db()
    assert existing.first_name == "Old"
    assert existing.has_usable_password()
    assert mail.outbox == []
    assert User.objects.filter(email__iexact="known.person@example.org").count() == 1


def test_adding_again_someone_who_never_chose_a_password_sends_a_new_invitation(
    client, park_a, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, new_person(park_a))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, new_person(park_a, role=Membership.Role.VIEWER), follow=True)

    assert len(mail.outbox) == 2
    assert Membership.objects.get(user__email="new.person@example.org").role == Membership.Role.EDITOR
    assertContains(response, "we e-mailed them a link to choose a password")


def test_adding_someone_already_in_the_park_is_refused_next_to_the_field(client, park_a, manager):
    existing = member(park_a, email="known@example.org")
    client.force_login(manager)

    response = client.post(ADD, new_person(park_a, email="known@example.org", role=Membership.Role.MANAGER))

    assert response.status_code == 200
    assert "This person already has a role in this park." in response.context["form"].errors["technopolis"]
    assert Membership.objects.get(user=existing).role == Membership.Role.VIEWER


def test_manager_cannot_add_to_a_park_they_do_not_manage(client, park_a, park_b, manager):
    client.force_login(manager)

    response = client.post(ADD, new_person(park_b))

    assert response.status_code == 200
    assert "technopolis" in response.context["form"].errors
    assert not User.objects.filter(email="new.person@example.org").exists()
    # What was typed stays in the form.
    assertContains(response, 'value="new.person@example.org"')


def test_add_form_offers_only_the_managed_parks(client, park_a, park_b, manager):
    client.force_login(manager)

    response = client.get(ADD)

    assert list(response.context["form"].fields["technopolis"].queryset) == [park_a]


def test_posting_admin_flags_changes_nothing(client, park_a, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, new_person(park_a, is_superuser="on", is_staff="on"))

    person = User.objects.get(email="new.person@example.org")
    assert not person.is_superuser
    assert not person.is_staff


def test_admin_adds_to_any_park(client, park_b, django_capture_on_commit_callbacks):
    client.force_login(SuperuserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, new_person(park_b, role=Membership.Role.MANAGER))

    assert Membership.objects.get(technopolis=park_b).role == Membership.Role.MANAGER
    assert len(mail.outbox) == 1


# --- Changing roles and removing ----------------------------------------------------------------


def test_manager_changes_a_members_role(client, park_a, manager):
    membership = MembershipFactory(technopolis=park_a)
    client.force_login(manager)

    response = client.post(edit_url(membership), {"role": Membership.Role.EDITOR}, follow=True)

    membership.refresh_from_db()
    assert membership.role == Membership.Role.EDITOR
    assertContains(response, "is now editor of Khimgrad")


def test_posting_other_fields_on_a_role_change_changes_nothing_else(client, park_a, park_b, manager):
    membership = MembershipFactory(technopolis=park_a)
    client.force_login(manager)

    client.post(edit_url(membership), {"role": Membership.Role.EDITOR, "technopolis": park_b.pk, "is_superuser": "on"})

    membership.refresh_from_db()
    assert membership.technopolis == park_a
    assert not membership.user.is_superuser


def test_memberships_of_other_parks_are_not_found_for_a_manager(client, park_b, manager):
    theirs = MembershipFactory(technopolis=park_b)
    client.force_login(manager)

    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), {"role": Membership.Role.MANAGER}).status_code == 404
    assert client.post(remove_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Membership.Role.VIEWER


def test_manager_removes_a_membership_after_confirming(client, park_a, manager):
    membership = MembershipFactory(technopolis=park_a)
    client.force_login(manager)

    assert client.get(remove_url(membership)).status_code == 200
    response = client.post(remove_url(membership), follow=True)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=membership.user_id).exists()
    assertContains(response, "no longer has a role in Khimgrad")


def test_manager_cannot_remove_their_own_last_manager_role(client, park_a, manager):
    own = Membership.objects.get(user=manager)
    client.force_login(manager)

    response = client.post(remove_url(own), follow=True)

    assert Membership.objects.filter(pk=own.pk).exists()
    assertContains(response, "This is your last manager role")


def test_manager_cannot_demote_themselves_from_their_last_manager_role(client, park_a, manager):
    own = Membership.objects.get(user=manager)
    client.force_login(manager)

    response = client.post(edit_url(own), {"role": Membership.Role.VIEWER})

    assert response.status_code == 200
    assertContains(response, "This is your last manager role")
    own.refresh_from_db()
    assert own.role == Membership.Role.MANAGER


def test_manager_of_two_parks_may_leave_one(client, park_a, park_b, manager):
    MembershipFactory(user=manager, technopolis=park_b, role=Membership.Role.MANAGER)
    own = Membership.objects.get(user=manager, technopolis=park_a)
    client.force_login(manager)

    client.post(remove_url(own))

    assert not Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("rows", [5, 50])
def test_staff_list_queries_do_not_grow_with_the_rows(client, park_a, manager, django_assert_num_queries, rows):
    for _ in range(rows):
        MembershipFactory(technopolis=park_a)
    client.force_login(manager)

    # session, user, the user's memberships, count for the pages, the memberships with people and parks.
    with django_assert_num_queries(4):
        response = client.get(LIST)

    assert response.context["page_obj"].paginator.count == rows + 1
