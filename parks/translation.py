"""Names people type, kept in English and in Russian (django-modeltranslation adds name_en, name_ru...).

The historical models are registered too, so that the change history keeps both languages.

Reading `park.name` gives the reader's language and falls back to the other one; see common/i18n.py
for search and ordering over both.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Facility, Person, ReportedFigures, Sector, Technopolis


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register([Technopolis, Technopolis.history.model])
class TechnopolisTranslation(TranslationOptions):
    fields = ("name", "short_name", "region", "city", "cluster_focus", "description")


@register([Facility, Facility.history.model])
class FacilityTranslation(TranslationOptions):
    fields = ("name",)


@register([Person, Person.history.model])
class PersonTranslation(TranslationOptions):
    fields = ("full_name", "position", "organisation")


@register(ReportedFigures)
class ReportedFiguresTranslation(TranslationOptions):
    fields = ("quote",)
