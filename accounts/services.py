"""Writes about people: the language a person chose, park staff accounts and their invitations."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.access import is_admin
from parks.models import Membership, Technopolis

from .models import Profile

# --- Language -----------------------------------------------------------------------------------


def profile_language_set(*, user: User, language: str) -> Profile:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    # The user in hand reads the new choice too (user_language reads the profile cached on it).
    user.profile = profile
    return profile


# --- Park staff ---------------------------------------------------------------------------------


class _InvitationForm(PasswordResetForm):
    """Django's password-reset e-mail for one new account.

    Django's own form skips accounts whose password is unusable, which is exactly what a new
    account has until its owner follows the link.
    """

    def __init__(self, user: User):
        super().__init__(data={"email": user.email})
        self.invited_user = user

    def get_users(self, email):
        return [self.invited_user]


def _send_invitation(*, user: User, technopolis: Technopolis, invited_by: User) -> None:
    site = urlsplit(settings.SITE_URL)
    form = _InvitationForm(user)
    if not form.is_valid():
        raise ValidationError(form.errors)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="accounts/email/staff_invitation_subject.txt",
        email_template_name="accounts/email/staff_invitation.txt",
        extra_email_context={"technopolis": technopolis, "invited_by": invited_by, "site_url": settings.SITE_URL},
    )


def _free_username(email: str) -> str:
    """The e-mail address as the username, made unique should someone already use it."""
    UserModel = get_user_model()
    base = email.lower()[:140]
    candidate = base
    suffix = 1
    while UserModel.objects.filter(username__iexact=candidate).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def _invitation_pending(user: User) -> bool:
    """Invited but has not chosen a password yet: another invitation may be sent."""
    return not user.has_usable_password() and user.last_login is None


def staff_member_add(
    *,
    email: str,
    first_name: str,
    last_name: str,
    technopolis: Technopolis,
    role: str,
    added_by: User,
) -> tuple[Membership, bool]:
    """Gives a person a role in a park; returns the membership and whether an invitation was sent.

    A new account is active with an unusable password; its owner receives Django's password-reset
    e-mail (through the outbox, like every e-mail) to choose a password. Adding again someone who has not
    chosen a password yet sends a fresh invitation, the way to replace an expired link.
    """
    UserModel = get_user_model()
    matches = list(UserModel.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise ValidationError(
            {"email": _("Several accounts use this e-mail address; ask an administrator to add this person.")}
        )
    with transaction.atomic():
        if matches:
            user = matches[0]
        else:
            user = UserModel(
                username=_free_username(email), email=email, first_name=first_name, last_name=last_name, is_active=True
            )
            user.set_unusable_password()
            user.save()
        invite = _invitation_pending(user)
        membership = Membership.objects.filter(user=user, technopolis=technopolis).first()
        if membership is None:
            membership = Membership.objects.create(user=user, technopolis=technopolis, role=role)
        elif not invite:
            raise ValidationError({"technopolis": _("This person already has a role in this park.")})
        if invite:
            # Into the outbox in the same transaction (EMAIL_BACKEND): the membership and its
            # invitation are kept together, and delivery retries while the mail server is down.
            _send_invitation(user=user, technopolis=technopolis, invited_by=added_by)
    return membership, invite


def _keep_own_last_manager_role(*, membership: Membership, acting_user: User) -> None:
    """Refuses to let managers take away their own last manager role: they would lock themselves out."""
    if membership.user_id != acting_user.pk or membership.role != Membership.Role.MANAGER or is_admin(acting_user):
        return
    other_manager_roles = Membership.objects.filter(user=acting_user, role=Membership.Role.MANAGER).exclude(
        pk=membership.pk
    )
    if not other_manager_roles.exists():
        raise ValidationError(
            _(
                "This is your last manager role: without it you could no longer manage staff. "
                "Ask another manager or an administrator to change it."
            )
        )


def staff_role_change(*, membership: Membership, role: str, changed_by: User) -> Membership:
    if role != membership.role:
        _keep_own_last_manager_role(membership=membership, acting_user=changed_by)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def staff_membership_remove(*, membership: Membership, removed_by: User) -> None:
    _keep_own_last_manager_role(membership=membership, acting_user=removed_by)
    membership.delete()
