"""The default schedule of the sweeps, kept in django-celery-beat's tables so admins can change it.

Reminders every morning at 07:00, digests at 08:00 (daily and weekly subscriptions both: a weekly
digest goes at most once a week), and the outbox every 5 minutes so SMTP retries happen on time.
Times are in settings.TIME_ZONE. Existing tasks of the same name are left as an admin set them.
"""

from django.conf import settings
from django.db import migrations

SCHEDULE = [
    ("Milestone reminders (daily)", "notifications.tasks.send_reminders", {"minute": "0", "hour": "7"}),
    ("Partner digests (daily check)", "notifications.tasks.send_digests", {"minute": "0", "hour": "8"}),
    ("Deliver the outbox", "notifications.tasks.deliver_outbox", {"minute": "*/5", "hour": "*"}),
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, when in SCHEDULE:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE, **when
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
