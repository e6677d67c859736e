from notifications.digests import digests_plan

from ._sweep import SweepCommand


class Command(SweepCommand):
    help = "Plans the day's partner digests, then sends what the outbox holds."

    def plan(self, *, today, dry_run):
        return digests_plan(today=today, dry_run=dry_run)
