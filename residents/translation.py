"""Company and product names in English and in Russian; their change history records both."""

from modeltranslation.translator import TranslationOptions, register

from .models import Product, ResidentCompany


@register([ResidentCompany, ResidentCompany.history.model])
class ResidentCompanyTranslation(TranslationOptions):
    fields = ("name",)


@register([Product, Product.history.model])
class ProductTranslation(TranslationOptions):
    fields = ("name",)
