from django.apps import AppConfig


class SharedConfig(AppConfig):
    # An app so its template tags and checks load; it has no models.
    name = "shared"
    verbose_name = "Shared"

    def ready(self):
        from . import checks  # noqa: F401 - registers the PostgreSQL search check
