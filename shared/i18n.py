from django.conf import settings
from django.utils.translation import gettext_lazy, ngettext_lazy


def set_language_cookie(response, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language,
            max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE, httponly=False,
        )


# Strings Django 6.1 puts on our pages that its own Thai and Persian catalogues lack (the
# blank choice of every select, the parts of `timesince`). Naming them here puts them in
# our catalogue, which LOCALE_PATHS puts first, so no page falls back to English.
DJANGO_STRINGS = (
    gettext_lazy("- Select an option -"),
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
)
