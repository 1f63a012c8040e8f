from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import OnboardingPath


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    actions.register_action("training.enrol", _("Enrol"), _("Enrolled"))
    actions.register_action("training.complete", _("Complete module"), _("Module completed"))


class OnboardingPathViewSet(SnippetViewSet):
    model = OnboardingPath
    icon = "list-ol"
    menu_label = _("Onboarding paths")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name", "description"]


register_snippet(OnboardingPathViewSet)


@hooks.register("intranet_home_panels")
def onboarding_home_panel(request):
    data = _home_onboarding(request.user)
    if data is None:
        return []
    return [{"template": "training/includes/home_onboarding.html", "order": 5, **data}]


def _home_onboarding(user) -> dict | None:
    """What the home panel shows of selectors.my_onboarding() (overall progress, the next
    module due), in one query: each enrolment with its module's live lessons, the ones
    this person completed and a passed quiz, counted in the database. None: no
    enrolments."""
    from django.db.models import Count, Exists, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import Enrolment, LessonCompletion, LessonPage, QuizAttempt

    # Most people have no enrolments: a plain lookup answers them, and only those with
    # some pay for building the counting query.
    if not Enrolment.objects.filter(user=user).exists():
        return None

    def count(lessons):
        return Coalesce(Subquery(lessons.order_by().values("depth")
                                 .annotate(n=Count("pk")).values("n")), 0)

    # A module's lessons are its live child pages.
    lessons = LessonPage.objects.live().filter(depth=OuterRef("module__depth") + 1,
                                               path__startswith=OuterRef("module__path"))
    done = lessons.filter(pk__in=LessonCompletion.objects.filter(user=user).values("lesson_id"))
    passed = QuizAttempt.objects.filter(user=user, passed=True, module=OuterRef("module_id"))
    enrolments = list(Enrolment.objects.filter(user=user).select_related("module")
                      .annotate(lesson_count=count(lessons), lessons_done=count(done),
                                quiz_passed=Exists(passed))
                      .order_by("due_on", "pk"))
    if not enrolments:
        return None
    total = finished = 0
    next_due = None
    for e in enrolments:
        has_quiz = bool(e.module.quiz)
        steps = e.lesson_count + (1 if has_quiz else 0)
        if e.status == Enrolment.Status.COMPLETED:
            steps_done = steps
        else:
            steps_done = e.lessons_done + (1 if has_quiz and e.quiz_passed else 0)
            if next_due is None:
                next_due = {"enrolment": e, "module": e.module}
        total += steps
        finished += steps_done
    return {"overall": round(100 * finished / total) if total else 0, "next_due": next_due}
