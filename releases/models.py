"""A press release an agreement was made or updated from: to find it again when the same text comes back."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementDocument


def release_fingerprint(text: str) -> str:
    """The same release pasted again, whatever its spacing or line breaks, has the same fingerprint."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


class ImportedRelease(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="releases", verbose_name=_("agreement")
    )
    document = models.OneToOneField(
        AgreementDocument, on_delete=models.PROTECT, related_name="release", verbose_name=_("document")
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    created = models.BooleanField(_("created the agreement"), default=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("imported by")
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported press release")
        verbose_name_plural = _("imported press releases")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.agreement} ({self.imported_at:%Y-%m-%d})"
