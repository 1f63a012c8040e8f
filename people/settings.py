"""Reading the programme settings (people.models.ProgrammeSettings) that programme admins
edit in the Wagtail admin (Settings › Programme settings).

    from people.settings import programme_settings
    months = programme_settings().champion_term_months

The saved values are kept in the shared cache (one read per minute at most) and dropped
from it whenever the settings are saved, so every web process and worker sees a change
at once. Until someone saves them, the defaults are the environment's settings
(HOLIDAYS, CHAMPION_TERM_MONTHS, NEWSLETTER_REQUIRE_APPROVAL,
IMPACT_REMINDER_WORKING_DAYS), read afresh each time."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ProgrammeSettings

CACHE_KEY = "people:programme-settings:v3"
CACHE_SECONDS = 60
_NOT_SAVED = "not-saved"
_FIELDS = ("holidays", "review_response_target_days", "champion_term_months",
           "newsletter_require_approval", "impact_reminder_days",
           "accept_needs_two_questions")


def programme_settings(*, cached: bool = True) -> ProgrammeSettings:
    """The programme settings: the saved row, or (never saved) an unsaved instance with
    the environment's defaults. Treat it as read-only; admins edit it in the admin.

    `cached=False` reads the database only: for code that runs while the database is
    being migrated, when a database cache's table may not exist yet."""
    values = cache.get(CACHE_KEY) if cached else None
    if values is None:
        row = ProgrammeSettings.objects.values("pk", *_FIELDS).order_by("pk").first()
        values = row or _NOT_SAVED
        if cached:
            cache.set(CACHE_KEY, values, CACHE_SECONDS)
    if values == _NOT_SAVED:
        return ProgrammeSettings()
    return ProgrammeSettings(**values)


def holidays() -> frozenset[str]:
    """The public holidays as ISO dates: what shared.workdays counts as non-working."""
    return programme_settings().holiday_dates


def forget_programme_settings() -> None:
    cache.delete(CACHE_KEY)


@receiver([post_save, post_delete], sender=ProgrammeSettings,
          dispatch_uid="people.forget_programme_settings")
def _saved(**kwargs):
    forget_programme_settings()
    # Also after commit: another process may have cached the old row meanwhile.
    transaction.on_commit(forget_programme_settings)
