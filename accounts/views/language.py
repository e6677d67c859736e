"""The language switcher: Django's set_language, which also remembers a signed-in person's choice."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ..services import profile_language_set
from ..sessions import LANGUAGE_KEY


@require_POST
def set_language(request):
    # Django's view checks the language and the `next` URL, and sets the language cookie.
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.session[LANGUAGE_KEY] = language
        if request.user.is_authenticated:
            profile_language_set(user=request.user, language=language)
    return response
