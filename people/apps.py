from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from shared import workdays

        from . import settings, signals  # noqa: F401

        # Working days skip the holidays programme admins set (Programme settings).
        workdays.set_holiday_provider(settings.holidays)
