from django.apps import AppConfig


class ChampionsConfig(AppConfig):
    name = "champions"
    verbose_name = "Champions"

    def ready(self):
        from shared import demo

        from .demo import seed_champions

        # Demo champions need the demo people and ideas, so they run among the late
        # seeders (ideas is installed before champions, so its seeder runs first).
        if seed_champions not in demo.LATE_SEEDERS:
            demo.LATE_SEEDERS.append(seed_champions)
