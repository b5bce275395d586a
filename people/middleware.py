from django.conf import settings
from django.utils import translation

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class PreferredLanguageMiddleware:
    """Swedish unless the person has chosen otherwise (profile, or the language cookie).

    The browser's Accept-Language is deliberately ignored: the service is Swedish first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = settings.LANGUAGE_CODE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language in _LANGUAGES:
            language = user.preferred_language
        elif request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in _LANGUAGES:
            language = request.COOKIES[settings.LANGUAGE_COOKIE_NAME]
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
