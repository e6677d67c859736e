"""Token authentication (knox, hashed tokens) that records when each token was last used."""

import datetime

from django.utils import timezone
from knox.auth import TokenAuthentication

from .models import ApiToken

# Written at most this often per token, so that a busy client does not write on every request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`; an unknown or revoked token is answered 401."""

    def validate_user(self, auth_token: ApiToken):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token
