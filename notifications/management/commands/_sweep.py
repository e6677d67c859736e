"""What send_reminders and send_digests share: the --date and --dry-run options and the summary."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.delivery import outbox_deliver


def parse_date(value: str | None) -> datetime.date:
    if value is None:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}") from None


class SweepCommand(BaseCommand):
    """Plans e-mails for a day, then delivers the outbox; --dry-run only prints who would get what."""

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to plan for, as YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; write and send nothing.")

    def plan(self, *, today: datetime.date, dry_run: bool) -> list:
        raise NotImplementedError

    def handle(self, *args, date: str | None = None, dry_run: bool = False, **options):
        today = parse_date(date)
        planned = self.plan(today=today, dry_run=dry_run)
        if dry_run:
            for email in planned:
                self.stdout.write(email.describe())
            self.stdout.write(f"Dry run for {today.isoformat()}: {len(planned)} e-mail(s) would be planned.")
            return
        report = outbox_deliver()
        self.stdout.write(
            f"{today.isoformat()}: planned {len(planned)}, sent {report.sent}, retrying {report.retrying}, "
            f"failed {report.failed}, bounced {report.bounced}."
        )
