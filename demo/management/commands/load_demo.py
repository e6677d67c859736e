from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from demo.seed import load_seed_world
from parks.models import Technopolis


class Command(BaseCommand):
    help = "Loads the world of the seed document (two parks, three people, the forum, the agreement)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database already holds parks.")

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and Technopolis.objects.exists():
            self.stdout.write(_("The database already holds data; demo data not loaded."))
            return
        agreement = load_seed_world(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(_("Demo data ready: %(agreement)s") % {"agreement": agreement}))
