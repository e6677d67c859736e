"""factory_boy factories for every model, producing valid records by default."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    InnovationStage,
    Milestone,
    SigningEvent,
)
from parks.models import Facility, Membership, Person, ReportedFigures, Sector, Technopolis
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany
from residents.validators import complete_inn


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Group {n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class TechnopolisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technopolis

    name = factory.Sequence(lambda n: f"Technopolis {n}")
    short_name = factory.Sequence(lambda n: f"Park {n}")
    slug = factory.Sequence(lambda n: f"park-{n}")
    region = "Republic of Tatarstan"
    city = "Kazan"
    founded_year = 2006
    ownership = Technopolis.Ownership.PRIVATE
    receives_government_funding = False
    management_company = factory.LazyAttribute(lambda p: f"{p.name} Management Company")


class ReportedFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportedFigures

    technopolis = factory.SubFactory(TechnopolisFactory)
    source = factory.Sequence(lambda n: f"Press release {n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    technopolis = factory.SubFactory(TechnopolisFactory)
    kind = Facility.Kind.BUSINESS_INCUBATOR
    name = factory.Sequence(lambda n: f"Facility {n}")
    status = Facility.Status.OPERATING


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    position = "Director"
    organisation = "Management Company"
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class ResidentCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentCompany

    technopolis = factory.SubFactory(TechnopolisFactory)
    name = factory.Sequence(lambda n: f"Company {n}")
    legal_form = ResidentCompany.LegalForm.OOO
    inn = factory.Sequence(lambda n: complete_inn(f"{165000000 + n:09d}"))
    residency_start = datetime.date(2020, 1, 1)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    company = factory.SubFactory(ResidentCompanyFactory)
    name = factory.Sequence(lambda n: f"Product {n}")


class IntellectualPropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntellectualProperty

    company = factory.SubFactory(ResidentCompanyFactory)
    kind = IntellectualProperty.Kind.INVENTION_PATENT
    registration_number = factory.Sequence(lambda n: f"RU{2700000 + n}")
    title = factory.Sequence(lambda n: f"Invention {n}")
    status = IntellectualProperty.Status.REGISTERED


class KnowHowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowHow

    company = factory.SubFactory(ResidentCompanyFactory)
    title = factory.Sequence(lambda n: f"Know-how {n}")


class SigningEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SigningEvent

    name = factory.Sequence(lambda n: f"Forum {n}")
    city = "St. Petersburg"


class InnovationStageFactory(factory.django.DjangoModelFactory):
    """A stage beyond the five the migration creates (positions 1-5)."""

    class Meta:
        model = InnovationStage

    code = factory.Sequence(lambda n: f"stage-{n}")
    name = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(lambda n: 100 + n)


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft agreement without parties; use `with_parties` for a bilateral one past draft."""

    class Meta:
        model = Agreement

    reference = factory.Sequence(lambda n: f"AGR-{n:05d}")
    title = factory.Sequence(lambda n: f"Cooperation agreement {n}")
    kind = Agreement.Kind.COOPERATION
    status = Agreement.Status.DRAFT
    effective_from = datetime.date(2026, 1, 1)
    expires_on = datetime.date(2028, 12, 31)


def agreement_with_parties(*parks: Technopolis, **fields) -> Agreement:
    """An agreement with one party per park given (two new parks when none are given)."""
    parks = parks or (TechnopolisFactory(), TechnopolisFactory())
    agreement = AgreementFactory(**fields)
    for park in parks:
        AgreementPartyFactory(agreement=agreement, technopolis=park)
    return agreement


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    technopolis = factory.SubFactory(TechnopolisFactory)
    signatory = factory.SubFactory(PersonFactory)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = datetime.date(2027, 6, 30)
    status = Milestone.Status.PLANNED


class AgreementDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementDocument

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="scan.pdf", data=b"%PDF-1.4\n%%EOF\n")


class ImportedReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "releases.ImportedRelease"

    document = factory.SubFactory(AgreementDocumentFactory)
    agreement = factory.SelfAttribute("document.agreement")
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    language = "en"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    technopolis = factory.SubFactory(TechnopolisFactory)
    role = Membership.Role.VIEWER


def member(park: Technopolis, role: str = Membership.Role.VIEWER, **user_fields):
    """A portal user with `role` in `park`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, technopolis=park, role=role)
    return user


class CalendarTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portal.CalendarToken"

    user = factory.SubFactory(UserFactory)


# --- notifications ---------------------------------------------------------------------------


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A partner contact's weekly digest; add parks or agreements to follow."""

    class Meta:
        model = "notifications.Subscription"

    person = factory.SubFactory(PersonFactory)


class ReminderSnoozeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.ReminderSnooze"

    milestone = factory.SubFactory(MilestoneFactory)
    until = datetime.date(2027, 7, 7)


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    """A queued reminder, due to be sent now."""

    class Meta:
        model = "notifications.OutgoingEmail"

    kind = "reminder_due"
    recipient_address = factory.Sequence(lambda n: f"recipient{n}@example.org")
    recipient_name = factory.Sequence(lambda n: f"Recipient {n}")
    language = "en"
    dedup_key = factory.Sequence(lambda n: f"test:{n}")
    planned_for = datetime.date(2027, 6, 16)
    subject = factory.Sequence(lambda n: f"Due in 14 days: Milestone {n}")
    text_body = "A milestone is due in 14 days."
    html_body = "<p>A milestone is due in 14 days.</p>"
    next_attempt_at = factory.LazyFunction(_now)
    created_at = factory.LazyFunction(_now)


class SuppressedAddressFactory(factory.django.DjangoModelFactory):
    """An address refused for good by its server."""

    class Meta:
        model = "notifications.SuppressedAddress"

    address = factory.Sequence(lambda n: f"gone{n}@example.org")
    reason = "SMTPRecipientsRefused: 550 5.1.1 No such user here"
    created_at = factory.LazyFunction(_now)


class IntervalScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "django_celery_beat.IntervalSchedule"

    every = factory.Sequence(lambda n: n + 1)
    period = "minutes"


class CrontabScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "django_celery_beat.CrontabSchedule"

    minute = factory.Sequence(lambda n: str(n % 60))
    hour = "6"


class SolarScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "django_celery_beat.SolarSchedule"

    event = "sunrise"
    latitude = factory.Sequence(lambda n: 55 + n % 10)
    longitude = 37


class ClockedScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "django_celery_beat.ClockedSchedule"

    clocked_time = factory.LazyFunction(lambda: datetime.datetime(2027, 1, 1, 7, 0, tzinfo=datetime.UTC))


class PeriodicTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "django_celery_beat.PeriodicTask"

    name = factory.Sequence(lambda n: f"Periodic task {n}")
    task = "notifications.tasks.deliver_outbox"
    interval = factory.SubFactory(IntervalScheduleFactory)


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "otp_totp.TOTPDevice"

    user = factory.SubFactory(UserFactory)
    name = "Phone"
    confirmed = True


class AccessAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "axes.AccessAttempt"

    username = factory.Sequence(lambda n: f"guess{n}")
    ip_address = "192.0.2.1"
    user_agent = "pytest"
    failures_since_start = 1


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "axes.AccessLog"

    username = factory.Sequence(lambda n: f"signed-in{n}")
    ip_address = "192.0.2.1"
    user_agent = "pytest"


class AccessFailureLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "axes.AccessFailureLog"

    username = factory.Sequence(lambda n: f"guess{n}")
    ip_address = "192.0.2.1"
    user_agent = "pytest"


# --- partners --------------------------------------------------------------------------------


class PartnerLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.PartnerLink"

    person = factory.SubFactory(PersonFactory, technopolis=factory.SubFactory(TechnopolisFactory))
    address = factory.LazyAttribute(lambda link: link.person.email)
    reason = "digest"
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda link: link.created_at + datetime.timedelta(days=14))


class _SaidFactory(factory.django.DjangoModelFactory):
    milestone = factory.SubFactory(MilestoneFactory)
    person = factory.SubFactory(PersonFactory)
    author_name = factory.LazyAttribute(lambda said: said.person.full_name)
    created_at = factory.LazyFunction(timezone.now)


class MilestoneConfirmationFactory(_SaidFactory):
    class Meta:
        model = "partners.MilestoneConfirmation"

    technopolis = factory.SubFactory(TechnopolisFactory)
    completed_on = datetime.date(2026, 1, 10)


class DueDateProposalFactory(_SaidFactory):
    class Meta:
        model = "partners.DueDateProposal"

    current_due_on = factory.LazyAttribute(lambda proposal: proposal.milestone.due_on)
    proposed_due_on = datetime.date(2027, 6, 1)
    reason = "The parts arrive late"


class MilestoneCommentFactory(_SaidFactory):
    class Meta:
        model = "partners.MilestoneComment"

    body = "The intake went well"
