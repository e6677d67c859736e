"""Schedules the deletion of expired import previews every 15 minutes (an admin may change it in beat's tables)."""

from django.conf import settings
from django.db import migrations

NAME = "Delete expired import uploads"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="*/15", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "exchange.tasks.forget_expired_uploads", "crontab": crontab}
    )


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
