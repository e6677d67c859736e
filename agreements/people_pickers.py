"""Person pickers on the agreement page: each lists the people of the park it belongs with, not the
whole directory.

A party's signatory is chosen among that park's people; the witnesses and a milestone's responsible
person among the parties' people. The server scopes the choices and refuses a person of another
park; each option names its park (data-park), so that static/js/people-pickers.js narrows a list as
soon as a park is chosen and adds a filter box, without a round trip. Without JavaScript, a new row's
list is grouped by park.
"""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from parks.models import Person


class PersonOptionsMixin:
    """A select whose options carry the park of their person (data-park)."""

    park_of: dict[int, int] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        park = self.park_of.get(_as_int(value))
        if park is not None:
            option["attrs"]["data-park"] = str(park)
        return option


class PersonSelect(PersonOptionsMixin, forms.Select):
    pass


class PeopleSelectMultiple(PersonOptionsMixin, forms.SelectMultiple):
    pass


def _by_park_then_name(person: Person) -> tuple:
    return (person.technopolis is None, str(person.technopolis or ""), person.full_name)


def _as_int(value) -> int | None:
    value = getattr(value, "value", value)  # ModelChoiceIteratorValue
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class People:
    """The people the page may offer, loaded once (one query) and grouped by park for every picker."""

    def __init__(self):
        self.people = sorted(Person.objects.select_related("technopolis"), key=_by_park_then_name)
        self.park_of = {person.pk: person.technopolis_id for person in self.people if person.technopolis_id}

    def choices(self, *, park_id: int | None = None, keep: Iterable[int] = (), blank: bool = True) -> list:
        """Grouped by park; only `park_id`'s people (and those in `keep`) when a park is given."""
        keep = {pk for pk in keep if pk}
        groups: dict[str, list] = {}
        for person in self.people:
            if park_id is not None and person.technopolis_id != park_id and person.pk not in keep:
                continue
            group = str(person.technopolis) if person.technopolis_id else str(_("No park"))
            groups.setdefault(group, []).append((person.pk, str(person)))
        grouped = list(groups.items())
        return ([("", "---------")] if blank else []) + grouped

    def scope(
        self, field: forms.Field, *, park_id: int | None = None, keep: Iterable[int] = (), source_id: str = ""
    ) -> None:
        """Offers `field` this page's people (of `park_id` only, when given) and ties it to the park
        select `source_id` for the script."""
        multiple = isinstance(field, forms.ModelMultipleChoiceField)
        widget_class = PeopleSelectMultiple if multiple else PersonSelect
        widget = widget_class(attrs={**field.widget.attrs, "data-person-picker": "true"})
        widget.park_of = self.park_of
        if source_id:
            widget.attrs["data-people-of"] = source_id
        field.widget = widget
        field.choices = self.choices(park_id=park_id, keep=keep, blank=not multiple)


def check_person_of_park(person: Person | None, park_id: int | None, *, field_label: str) -> None:
    """Raises a ValidationError naming the field when `person` belongs to another park than `park_id`."""
    if person is None or park_id is None or person.technopolis_id in (None, park_id):
        return
    raise forms.ValidationError(
        _("%(person)s is one of %(park)s's people: choose the %(field)s among the people of this row's park.")
        % {"person": person.full_name, "park": person.technopolis, "field": field_label},
        code="person_of_another_park",
    )
