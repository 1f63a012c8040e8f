from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    """The site shell: settings, URLs, home page, programme dashboard, health."""

    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from . import rollup

        # The dashboard rollup's triggers on the ideas table (portal.rollup).
        post_migrate.connect(rollup.ensure_triggers, sender=self,
                             dispatch_uid="portal.rollup.ensure_triggers")
