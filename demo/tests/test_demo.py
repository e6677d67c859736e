"""The demo data follows the seed document exactly, loads idempotently, and the generator makes valid data."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from agreements.completeness import AGREEMENT_RULES
from agreements.models import Agreement, Milestone
from common.completeness import missing_labels
from demo.seed import DEMO_AGREEMENT_REFERENCE, load_seed_world
from parks.completeness import PARK_RULES
from parks.models import Facility, Person, Technopolis
from residents.models import IntellectualProperty, ResidentCompany
from residents.validators import is_valid_inn

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("parks", "residents", "agreements")


def snapshot() -> dict[str, list[dict]]:
    """Every row of every domain table, for comparing the database before and after."""
    rows = {}
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
            for field in model._meta.many_to_many:
                through = getattr(model, field.name).through
                rows[through._meta.label] = list(through.objects.order_by("pk").values())
    return rows


def test_load_demo_creates_both_parks_with_the_seed_facts():
    call_command("load_demo", stdout=io.StringIO())

    himgrad = Technopolis.objects.get(slug="himgrad")
    assert himgrad.name == 'Technopolis "Himgrad"'
    assert himgrad.founded_year == 2006
    assert himgrad.region == "Republic of Tatarstan"
    assert set(himgrad.sectors.values_list("name", flat=True)) == {
        "Oil-field high tech",
        "Low-tonnage chemistry",
        "Polymer processing and plastic recycling",
        "Nanoindustry",
        "Energy saving",
        "Medicine and pharmacology",
    }
    # The seed does not say where Himgrad is, who owns it or whether the state funds it.
    assert himgrad.city == ""
    assert himgrad.ownership == ""
    assert himgrad.receives_government_funding is None
    figures = himgrad.reported_figures.get()
    assert (figures.resident_companies, figures.products, figures.patents_and_trademarks, figures.know_how) == (
        120,
        100,
        60,
        20,
    )

    gousev = Technopolis.objects.get(slug="gousev")
    assert gousev.founded_year == 2008
    assert gousev.region == "Kaliningrad Region"
    assert gousev.ownership == Technopolis.Ownership.PRIVATE
    assert gousev.receives_government_funding is False
    assert "radio electronic industry cluster" in gousev.cluster_focus
    assert list(gousev.sectors.values_list("name", flat=True)) == ["Radio electronics"]
    assert sorted(gousev.facilities.values_list("kind", flat=True)) == sorted(
        [
            Facility.Kind.BUSINESS_INCUBATOR,
            Facility.Kind.LAB_COMPLEX,
            Facility.Kind.VENTURE_FUND,
            Facility.Kind.DESIGN_BUREAU,
            Facility.Kind.SOCIAL_COMMERCIAL_CENTRE,
            Facility.Kind.RESIDENTIAL,
        ]
    )


def test_load_demo_creates_the_three_people_and_the_agreement_as_the_seed_tells_it():
    call_command("load_demo", stdout=io.StringIO())

    stoyanova = Person.objects.get(full_name="Yana Stoyanova")
    assert (stoyanova.position, stoyanova.technopolis.slug) == ("Marketing Director", "himgrad")
    liulin = Person.objects.get(full_name="Alexey Liulin")
    assert liulin.position == "CEO"
    assert liulin.organisation == 'OOO "Technopolis Gousev" Management Company'
    zdunov = Person.objects.get(full_name="Artem Zdunov")
    assert zdunov.position == "Deputy Minister of Economics"

    agreement = Agreement.objects.get(reference=DEMO_AGREEMENT_REFERENCE)
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.is_public
    assert agreement.signing_event.name == "St. Petersburg International Innovation Forum"
    assert agreement.signing_event.city == "St. Petersburg"
    assert list(agreement.witnesses.all()) == [zdunov]
    parties = {party.technopolis.slug: party for party in agreement.parties.select_related("technopolis")}
    assert set(parties) == {"himgrad", "gousev"}
    assert parties["gousev"].signatory == liulin
    # Scope from upstream (business idea, R&D) to downstream (promotion).
    stages = list(agreement.scope.order_by("position").values_list("code", flat=True))
    assert stages[0] == "idea" and stages[-1] == "promotion" and "research" in stages
    assert agreement.milestones.count() >= 3


def test_demo_leaves_unknown_facts_empty_and_flags_them():
    load_seed_world(today=datetime.date(2026, 11, 25))

    agreement = Agreement.objects.get(reference=DEMO_AGREEMENT_REFERENCE)
    # The press release gives neither the date nor Himgrad's signatory.
    assert agreement.signed_on is None
    assert agreement.signing_event.held_on is None
    assert agreement.parties.get(technopolis__slug="himgrad").signatory is None
    assert missing_labels(agreement, AGREEMENT_RULES) == ["signing date", "a party's signatory"]
    himgrad = Technopolis.objects.get(slug="himgrad")
    assert "city" in missing_labels(himgrad, PARK_RULES)


def test_demo_milestones_are_valid_and_include_overdue_and_upcoming_ones():
    today = datetime.date(2026, 11, 25)
    agreement = load_seed_world(today=today)

    for milestone in agreement.milestones.all():
        milestone.full_clean()
    assert agreement.milestones.overdue(today).exists()
    assert agreement.milestones.filter(due_on__gt=today, status=Milestone.Status.PLANNED).exists()


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    before = snapshot()

    call_command("load_demo", stdout=io.StringIO())

    assert snapshot() == before


def test_load_demo_if_empty_leaves_a_database_with_data_alone():
    park = Technopolis.objects.create(name="Existing park", slug="existing")
    out = io.StringIO()

    call_command("load_demo", "--if-empty", stdout=out)

    assert list(Technopolis.objects.all()) == [park]
    assert "not loaded" in out.getvalue()


def test_ensure_admin_creates_a_superuser_whose_printed_password_logs_in(tmp_path, monkeypatch):
    from demo.management.commands import ensure_admin

    monkeypatch.setattr(ensure_admin, "CREDENTIALS_FILE", tmp_path / "admin-login.txt")
    out = io.StringIO()

    call_command("ensure_admin", stdout=out)
    call_command("ensure_admin", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first == second, "the second run prints the same login"
    password = first.split("password: ")[1].split()[0]
    user = authenticate(HttpRequest(), username="admin", password=password)
    assert user is not None and user.is_superuser and user.is_staff


def test_generate_demo_makes_valid_synthetic_records_in_the_numbers_asked():
    call_command(
        "generate_demo",
        "--parks=4",
        "--residents=30",
        "--ip=40",
        "--agreements=12",
        "--milestones=60",
        stdout=io.StringIO(),
    )

    assert Technopolis.objects.filter(is_synthetic=True).count() == 4
    assert ResidentCompany.objects.filter(is_synthetic=True).count() == 30
    assert IntellectualProperty.objects.count() == 40
    assert Agreement.objects.filter(is_synthetic=True).count() == 12
    assert Milestone.objects.count() == 60
    assert all(name.startswith("Synthetic") for name in Technopolis.objects.values_list("name", flat=True))
    assert all(is_valid_inn(inn) for inn in ResidentCompany.objects.values_list("inn", flat=True))
    for agreement in Agreement.objects.prefetch_related("parties"):
        agreement.full_clean()
        assert len({party.technopolis_id for party in agreement.parties.all()}) == 2
    for milestone in Milestone.objects.select_related("agreement"):
        milestone.full_clean()


def test_generate_demo_twice_adds_a_second_batch():
    for _ in range(2):
        call_command(
            "generate_demo",
            "--parks=3",
            "--residents=5",
            "--ip=5",
            "--agreements=2",
            "--milestones=4",
            stdout=io.StringIO(),
        )

    assert Technopolis.objects.count() == 6
    assert ResidentCompany.objects.count() == 10
    assert Agreement.objects.count() == 4


def test_generate_demo_refuses_agreements_without_two_parks():
    with pytest.raises(CommandError, match="--parks must be at least 2"):
        call_command("generate_demo", "--parks=1", "--agreements=3", stdout=io.StringIO())
    assert not Technopolis.objects.exists()
