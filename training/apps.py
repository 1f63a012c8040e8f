from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Onboarding"

    def ready(self):
        from shared import demo

        from . import setup, signals  # noqa: F401
        from .demo import seed_training
        from .models import PAGE_VIEWS, LessonPage, ModulePage
        from .views import lesson_view, module_view

        PAGE_VIEWS.update({ModulePage: module_view, LessonPage: lesson_view})

        # Demo enrolments need the demo people, so they run among the late seeders.
        if seed_training not in demo.LATE_SEEDERS:
            demo.LATE_SEEDERS.append(seed_training)
