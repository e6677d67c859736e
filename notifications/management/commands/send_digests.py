from notifications.digests import digests_plan, digests_run

from ._sweep import SweepCommand


class Command(SweepCommand):
    help = "Plans the day's partner digests, then sends what the outbox holds."

    def plan(self, *, today, dry_run):
        if dry_run:
            return digests_plan(today=today, dry_run=True)
        return digests_run(today=today)  # a count: the e-mails are not kept once recorded
