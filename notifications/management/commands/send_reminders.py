from notifications.planning import reminders_plan

from ._sweep import SweepCommand


class Command(SweepCommand):
    help = "Plans the day's milestone and agreement-date reminders, then sends what the outbox holds."

    def plan(self, *, today, dry_run):
        return reminders_plan(today=today, dry_run=dry_run)
