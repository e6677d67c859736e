from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from demo.synthetic import generate_synthetic


def _non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Adds a large synthetic data set (marked as synthetic) for load tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--parks", type=_non_negative, default=10)
        parser.add_argument("--residents", type=_non_negative, default=200)
        parser.add_argument("--ip", type=_non_negative, default=500)
        parser.add_argument("--agreements", type=_non_negative, default=100)
        parser.add_argument("--milestones", type=_non_negative, default=1000)
        parser.add_argument(
            "--subscriptions", type=_non_negative, default=0, help="Partner contacts with a digest subscription."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")

    def handle(self, *args, **options):
        if options["agreements"] and options["parks"] < 2:
            raise CommandError(
                _("--parks must be at least 2 when --agreements is given: an agreement has two parties.")
            )
        if options["subscriptions"] and not options["parks"]:
            raise CommandError(_("--subscriptions needs --parks: every subscription follows a park or agreements."))
        if options["milestones"] and not options["agreements"]:
            raise CommandError(_("--milestones needs --agreements: every milestone belongs to an agreement."))
        counts = generate_synthetic(
            parks=options["parks"],
            residents=options["residents"],
            ip_records=options["ip"],
            agreements=options["agreements"],
            milestones=options["milestones"],
            subscriptions=options["subscriptions"],
            seed=options["seed"],
            today=timezone.localdate(),
        )
        for name, value in vars(counts).items():
            self.stdout.write(f"{name}: {value}")
