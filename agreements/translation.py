"""Agreement titles and subjects, milestone titles and descriptions, signing events and stages in two languages.

The historical models are registered too: django-simple-history copies every field of the record,
so its history keeps both languages.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Agreement, InnovationStage, Milestone, SigningEvent


@register(SigningEvent)
class SigningEventTranslation(TranslationOptions):
    fields = ("name", "city")


@register(InnovationStage)
class InnovationStageTranslation(TranslationOptions):
    fields = ("name",)


@register([Agreement, Agreement.history.model])
class AgreementTranslation(TranslationOptions):
    fields = ("title", "subject")


@register([Milestone, Milestone.history.model])
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "description")
