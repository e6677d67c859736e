"""The portal's own parks, people, events and sectors, as the extraction's gazetteer, for one user."""

from django.db.models import Q

from agreements.access import contact_parks_filter
from agreements.models import SigningEvent
from extraction import Entry, Gazetteer
from parks.models import Person, Sector, Technopolis


def _names(*values: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def visible_people(user):
    """People a proposal may name for this reader: of parks whose contacts they may see, or of no park
    (ministers and other guests)."""
    return Person.objects.filter(contact_parks_filter(user, park="technopolis_id") | Q(technopolis__isnull=True))


def gazetteer_for(user) -> Gazetteer:
    """Four queries. People are those whose park's contacts the user may read, and people of no park
    (ministers and other guests), so a proposal never reveals who works where beyond that."""
    parks = [
        Entry(park.pk, str(park), _names(park.name_en, park.name_ru, park.short_name_en, park.short_name_ru))
        for park in Technopolis.objects.only("name_en", "name_ru", "short_name_en", "short_name_ru")
    ]
    people = [
        Entry(person.pk, str(person), _names(person.full_name_en, person.full_name_ru))
        for person in visible_people(user).only("full_name_en", "full_name_ru")
    ]
    events = [
        Entry(event.pk, str(event), _names(event.name_en, event.name_ru))
        for event in SigningEvent.objects.only("name_en", "name_ru")
    ]
    sectors = [Entry(sector.pk, str(sector), _names(sector.name_en, sector.name_ru)) for sector in Sector.objects.all()]
    return Gazetteer(parks=parks, people=people, events=events, sectors=sectors)
