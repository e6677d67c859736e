"""The portal's Celery app: configured from Django settings (CELERY_* names), tasks found in apps."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopolis_portal.settings")

app = Celery("technopolis_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
