from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from shared import demo
        from shared.fragments import vocabulary_changed

        from .demo import seed_ideas

        # Demo ideas need the demo people, so they run among the late seeders.
        if seed_ideas not in demo.LATE_SEEDERS:
            demo.LATE_SEEDERS.append(seed_ideas)

        # Filter forms list the stages (shared.fragments).
        stage = self.get_model("Stage")
        post_save.connect(vocabulary_changed, sender=stage, dispatch_uid="vocabulary:stage")
        post_delete.connect(vocabulary_changed, sender=stage,
                            dispatch_uid="vocabulary:stage:deleted")
