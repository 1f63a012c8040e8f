from django.apps import AppConfig


class SharedConfig(AppConfig):
    # An app only so its template tags load; it has no models.
    name = "shared"
    verbose_name = "Shared"
