"""API tokens: django-rest-knox's hashed tokens, with a name and the time each was last used.

Only a SHA-512 digest of each token is stored (knox), so a database copy opens nothing; the token
itself is shown once, when it is created. A person may hold several, one per machine, and revokes
one by deleting it: the next request with it is answered 401.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    # knox's primary key is the digest; pages and URLs name a token by this id instead.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the reporting script."))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                name="api_token_name_unique_per_user",
                violation_error_message=_("You already have a token with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key[:8]}…)"
