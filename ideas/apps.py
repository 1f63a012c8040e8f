from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self):
        from shared import demo

        from .demo import seed_ideas

        # Demo ideas need the demo people, so they run among the late seeders.
        if seed_ideas not in demo.LATE_SEEDERS:
            demo.LATE_SEEDERS.append(seed_ideas)
