from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from shared import demo

        # tasks: registered with Celery here, since services queue them by name only.
        from . import setup, signals, tasks  # noqa: F401
        from .demo import seed_newsletter

        # Demo issues pick insights and ideas, so they run among the late seeders, after
        # the ideas and champions seeders (those apps are installed before this one).
        if seed_newsletter not in demo.LATE_SEEDERS:
            demo.LATE_SEEDERS.append(seed_newsletter)
