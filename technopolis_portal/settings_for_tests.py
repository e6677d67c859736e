"""Settings of the test suite: the portal's own settings, plus what every test may take for granted.

Set here once rather than per test file: English as the default language (tests that check Russian
ask for it), a fast password hasher (the suite creates thousands of users; nothing but the login
tests' own assertions depends on the hash, and those hold for any hasher), and a media folder of
the run's own, so uploads never land in the project's var/media.
"""

import tempfile

from .settings import *  # noqa: F403

LANGUAGE_CODE = "en"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 (tests only)
MEDIA_ROOT = tempfile.mkdtemp(prefix="technopolis-test-media-")
# pytest-django replaces EMAIL_BACKEND with the in-memory one; the outbox's deliveries go there too,
# unless a test points them at a real SMTP server (tests/support/smtp.py) or tests the outbox backend.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
