"""Plausible values: every date a person types lies in 1900–2100 and every count below a million,
refused with a message naming the field by the model (so by every form, admin, the importer and the
API) and by the database itself."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from common.plausible import LATEST_DATE, MAX_COUNT, PlausibleDateValidator
from tests import factories

DOMAIN_APPS = ("parks", "residents", "agreements", "notifications")
# Dates the portal stamps itself, never typed by a person.
SYSTEM_DATES = {"notifications.OutgoingEmail.planned_for"}

FACTORIES = {
    "parks.ReportedFigures": factories.ReportedFiguresFactory,
    "residents.ResidentCompany": factories.ResidentCompanyFactory,
    "residents.IntellectualProperty": factories.IntellectualPropertyFactory,
    "residents.KnowHow": factories.KnowHowFactory,
    "agreements.SigningEvent": factories.SigningEventFactory,
    "agreements.Agreement": factories.AgreementFactory,
    "agreements.Milestone": factories.MilestoneFactory,
    "notifications.ReminderSnooze": factories.ReminderSnoozeFactory,
}


def typed_date_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
        if f"{model._meta.label}.{field.name}" not in SYSTEM_DATES
    ]


DATE_FIELDS = typed_date_fields()
COUNT_FIELDS = [
    ("parks.ReportedFigures", "resident_companies"),
    ("parks.ReportedFigures", "patents_and_trademarks"),
    ("residents.ResidentCompany", "staff_count"),
]


def _ids(cases) -> list[str]:
    return [f"{model._meta.label if isinstance(model, type) else model}.{field}" for model, field in cases]


def test_every_date_a_person_types_has_the_plausible_range():
    assert len(DATE_FIELDS) >= 14
    for model, name in DATE_FIELDS:
        assert PlausibleDateValidator() in model._meta.get_field(name).validators, f"{model._meta.label}.{name}"


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field"), DATE_FIELDS, ids=_ids(DATE_FIELDS))
@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1899, 12, 31), datetime.date(9999, 12, 31)])
def test_a_date_outside_the_plausible_years_is_refused_naming_the_field(model, field, day):
    record = FACTORIES[model._meta.label]()
    setattr(record, field, day)

    with pytest.raises(ValidationError) as refused:
        record.full_clean()

    assert "Enter a date in the years 1900 to 2100." in refused.value.message_dict[field]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field"), DATE_FIELDS, ids=_ids(DATE_FIELDS))
def test_the_database_refuses_an_implausible_date_that_skips_validation(model, field):
    record = FACTORIES[model._meta.label]()

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=record.pk).update(**{field: LATEST_DATE + datetime.timedelta(days=1)})


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "field"), COUNT_FIELDS, ids=_ids(COUNT_FIELDS))
def test_a_count_over_a_million_is_refused_by_the_model_and_the_database(label, field):
    record = FACTORIES[label]()
    setattr(record, field, MAX_COUNT + 1)

    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert field in refused.value.message_dict

    with pytest.raises(IntegrityError), transaction.atomic():
        apps.get_model(label).objects.filter(pk=record.pk).update(**{field: 1_000_000_000})


@pytest.mark.django_db
def test_a_date_at_the_edges_of_the_range_is_accepted():
    milestone = factories.MilestoneFactory(agreement__effective_from=None, agreement__expires_on=None)
    for day in (datetime.date(1900, 1, 1), LATEST_DATE):
        milestone.due_on = day
        milestone.full_clean()
