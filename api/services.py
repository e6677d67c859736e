"""Creating and revoking API tokens; the plain token exists only in the value create returns."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ApiToken

# Enough for every machine a person runs; keeps a leaked session from minting tokens without end.
MAX_TOKENS_PER_USER = 20


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored record and the token itself, to be shown once."""
    name = name.strip()
    # Locks the user's row so that two requests cannot both pass the limit check.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    tokens = ApiToken.objects.filter(user=user)
    if tokens.count() >= MAX_TOKENS_PER_USER:
        message = ngettext(
            "You have %(count)d token, the most allowed; revoke it first.",
            "You have %(count)d tokens, the most allowed; revoke one first.",
            MAX_TOKENS_PER_USER,
        )
        raise ValidationError({"name": message % {"count": MAX_TOKENS_PER_USER}})
    if tokens.filter(name=name).exists():
        raise ValidationError({"name": _("You already have a token with this name.")})
    # Tokens do not expire: their owner revokes them (and a deactivated account's tokens stop working).
    return ApiToken.objects.create(user=user, expiry=None, name=name)


def api_token_revoke(*, user: AbstractBaseUser, public_id) -> bool:
    """Deletes one of the user's own tokens; False when they have no such token."""
    deleted, _rows = ApiToken.objects.filter(user=user, public_id=public_id).delete()
    return bool(deleted)
