"""What send_reminders and send_digests share: the --date and --dry-run options and the summary."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.delivery import outbox_deliver

_CALENDAR_MARGIN = datetime.timedelta(days=1000)
_EARLIEST = datetime.date.min + _CALENDAR_MARGIN
_LATEST = datetime.date.max - _CALENDAR_MARGIN


def parse_date(value: str | None) -> datetime.date:
    if value is None:
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--date must be a date as YYYY-MM-DD, not %(value)r") % {"value": value}) from None
    # Planning looks up to a year (MAX_LEAD_DAYS) around the day: near year 1 or 9999 that overflows.
    if not _EARLIEST <= day <= _LATEST:
        raise CommandError(_("--date is too far in the past or the future: %(value)s") % {"value": value})
    return day


class SweepCommand(BaseCommand):
    """Plans e-mails for a day, then delivers the outbox; --dry-run only prints who would get what."""

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to plan for, as YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; write and send nothing.")

    def plan(self, *, today: datetime.date, dry_run: bool) -> list | int:
        """The planned e-mails (a dry run prints them), or only their number."""
        raise NotImplementedError

    def handle(self, *args, date: str | None = None, dry_run: bool = False, **options):
        today = parse_date(date)
        planned = self.plan(today=today, dry_run=dry_run)
        if dry_run:
            for email in planned:
                self.stdout.write(email.describe())
            self.stdout.write(
                ngettext(
                    "Dry run for %(day)s: %(count)d e-mail would be planned.",
                    "Dry run for %(day)s: %(count)d e-mails would be planned.",
                    len(planned),
                )
                % {"day": today.isoformat(), "count": len(planned)}
            )
            return
        report = outbox_deliver()
        summary = _("%(day)s: planned %(planned)d, sent %(sent)d, retrying %(retrying)d, ")
        summary += _("failed %(failed)d, bounced %(bounced)d.")
        self.stdout.write(
            summary
            % {
                "day": today.isoformat(),
                "planned": planned if isinstance(planned, int) else len(planned),
                "sent": report.sent,
                "retrying": report.retrying,
                "failed": report.failed,
                "bounced": report.bounced,
            }
        )
