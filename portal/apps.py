from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The site shell: settings, URLs, home page, programme dashboard, health."""

    name = "portal"
    verbose_name = "Portal"
