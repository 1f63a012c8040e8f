"""Prerequisites, resume position, module completion, re-completion after a substantive
revision, and the certificate of a finished path."""

import pytest
from django.core.exceptions import PermissionDenied

from notifications.models import Notification
from training import selectors, services
from training.models import Enrolment, LessonCompletion, ModulePage, QuizAttempt

from .factories import (
    answers_for,
    as_post,
    complete_module,
    module_page,
    onboarding_path,
)

pytestmark = pytest.mark.django_db


def lessons(module):
    return list(module.lessons())


# Prerequisites ---------------------------------------------------------------------------

def test_lessons_of_a_locked_module_are_refused_and_nothing_recorded(basics, moves, new_hire,
                                                                      as_user):
    services.enrolment_create(user=new_hire, module=moves, actor=None)
    client = as_user(new_hire)
    first = lessons(moves)[0]

    module_html = client.get(moves.url).content.decode()
    assert "This module opens when you have finished" in module_html
    assert basics.title in module_html
    assert first.url not in module_html              # no lesson links while locked

    response = client.get(first.url, follow=True)
    assert response.redirect_chain == [(moves.url, 302)]
    assert "Finish the prerequisite modules first." in response.content.decode()
    assert client.post(first.url).url == moves.url

    assert not LessonCompletion.objects.exists()
    assert Enrolment.objects.get(user=new_hire, module=moves).last_lesson is None
    with pytest.raises(PermissionDenied):
        services.lesson_complete(user=new_hire, lesson=first)
    assert not LessonCompletion.objects.exists()


def test_a_module_opens_once_its_prerequisites_are_complete(basics, moves, new_hire, as_user):
    client = as_user(new_hire)
    first = lessons(moves)[0]
    # Half-way through the prerequisite is not enough.
    services.lesson_complete(user=new_hire, lesson=lessons(basics)[0])
    assert client.get(first.url).status_code == 302
    complete_module(new_hire, basics)
    assert client.get(first.url).status_code == 200
    assert client.post(first.url).status_code == 302
    assert LessonCompletion.objects.filter(user=new_hire, lesson=first).exists()


def test_one_persons_progress_does_not_open_modules_for_another(basics, moves, new_hire,
                                                                employee, as_user):
    complete_module(employee, basics)
    assert as_user(new_hire).get(lessons(moves)[0].url).status_code == 302


# Resume and completion --------------------------------------------------------------------

def test_resume_where_you_stopped(basics, new_hire, as_user):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    client = as_user(new_hire)
    one, two = lessons(basics)
    page = client.get("/onboarding/").content.decode()
    assert f'href="{one.url}">Resume where you stopped' in page   # nothing seen yet
    assert client.get(two.url).status_code == 200                  # jumped to lesson 2
    assert Enrolment.objects.get(user=new_hire).last_lesson_id == two.pk
    page = client.get("/onboarding/").content.decode()
    assert f'href="{two.url}">Resume where you stopped' in page
    # Completing lesson 1 then going on: the next lesson is where they are.
    response = client.post(one.url)
    assert response.url == two.url
    client.get(response.url)
    assert Enrolment.objects.get(user=new_hire).last_lesson_id == two.pk


def test_module_complete_when_all_lessons_read_and_quiz_passed(basics, new_hire, as_user):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    client = as_user(new_hire)
    one, two = lessons(basics)
    quiz = f"/onboarding/modules/{basics.pk}/quiz/"

    def status():
        return Enrolment.objects.get(user=new_hire, module=basics).status

    client.post(quiz, as_post(answers_for(basics)))        # quiz first
    assert status() == Enrolment.Status.ASSIGNED
    assert selectors.module_progress(user=new_hire, module=basics) == {
        "lessons": 2, "done": 0, "quiz_passed": True, "complete": False}
    assert client.post(one.url).url == two.url
    assert status() == Enrolment.Status.ASSIGNED
    assert "67%" in client.get("/onboarding/").content.decode()   # 2 of 3 steps
    assert client.post(two.url).url == basics.url             # last lesson → module page
    enrolment = Enrolment.objects.get(user=new_hire, module=basics)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_at is not None
    assert enrolment.completed_revision_id == basics.live_revision_id
    assert {c.lesson_id: c.revision_id for c in LessonCompletion.objects.all()} == {
        one.pk: one.live_revision_id, two.pk: two.live_revision_id}
    assert "You have completed this module." in client.get(basics.url).content.decode()
    assert "100%" in client.get("/onboarding/").content.decode()


def test_failed_quiz_keeps_the_module_open(basics, new_hire):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    for lesson in lessons(basics):
        services.lesson_complete(user=new_hire, lesson=lesson)
    services.quiz_submit(user=new_hire, module=basics,
                         answers=answers_for(basics, wrong=("who-multi",)))
    assert Enrolment.objects.get(user=new_hire).status == Enrolment.Status.ASSIGNED
    services.quiz_submit(user=new_hire, module=basics, answers=answers_for(basics))
    assert Enrolment.objects.get(user=new_hire).status == Enrolment.Status.COMPLETED


def test_module_without_quiz_completes_on_its_lessons(index, new_hire):
    plain = module_page("plain", quiz=False, lessons=1)
    services.enrolment_create(user=new_hire, module=plain, actor=None)
    services.lesson_complete(user=new_hire, lesson=lessons(plain)[0])
    assert Enrolment.objects.get(user=new_hire).status == Enrolment.Status.COMPLETED


# Re-completion after a substantive revision -----------------------------------------------

def republish(module, *, substantive, capture):
    page = ModulePage.objects.get(pk=module.pk).get_latest_revision_as_object()
    page.summary = "Updated after the new relocation rules."
    page.requires_recompletion = substantive
    with capture(execute=True):
        revision = page.save_revision()
        revision.publish()
    return revision


def test_substantive_revision_asks_for_review(basics, new_hire, employee, champion,
                                              mailoutbox, django_capture_on_commit_callbacks):
    for person in (new_hire, employee, champion):
        services.enrolment_create(user=person, module=basics, actor=None)
    complete_module(new_hire, basics)
    complete_module(employee, basics)
    old_revision = basics.live_revision_id
    assert Enrolment.objects.get(user=new_hire).completed_revision_id == old_revision

    revision = republish(basics, substantive=True, capture=django_capture_on_commit_callbacks)

    statuses = dict(Enrolment.objects.values_list("user__email", "status"))
    assert statuses == {new_hire.email: "review", employee.email: "review",
                        champion.email: "assigned"}
    notified = set(Notification.objects.filter(verb="training.review")
                   .values_list("recipient__email", flat=True))
    assert notified == {new_hire.email, employee.email}
    assert {m.to[0] for m in mailoutbox if "please review it again" in m.subject} == notified
    # They must read the lessons and pass the quiz again, against the new revision.
    assert not LessonCompletion.objects.filter(user=new_hire).exists()
    assert selectors.module_progress(user=new_hire, module=basics)["complete"] is False
    # The tick is not sticky: the next edit starts unticked.
    basics.refresh_from_db()
    assert basics.requires_recompletion is False
    assert basics.get_latest_revision_as_object().requires_recompletion is False

    complete_module(new_hire, basics)
    enrolment = Enrolment.objects.get(user=new_hire)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_revision_id == revision.pk != old_revision
    assert QuizAttempt.objects.filter(user=new_hire, passed=True).count() == 1

    # A later, non-substantive publish changes nothing and notifies nobody.
    republish(basics, substantive=False, capture=django_capture_on_commit_callbacks)
    assert Enrolment.objects.get(user=new_hire).status == Enrolment.Status.COMPLETED
    assert Notification.objects.filter(verb="training.review").count() == 2


def test_minor_revision_keeps_completions(basics, new_hire, django_capture_on_commit_callbacks):
    complete_module(new_hire, basics)
    republish(basics, substantive=False, capture=django_capture_on_commit_callbacks)
    assert Enrolment.objects.get(user=new_hire).status == Enrolment.Status.COMPLETED
    assert LessonCompletion.objects.filter(user=new_hire).count() == 2
    assert not Notification.objects.filter(verb="training.review").exists()


# Certificate --------------------------------------------------------------------------

def test_certificate_only_for_a_finished_path(basics, moves, new_hire, employee, as_user):
    path = onboarding_path("Who our customers are", [(basics, 3), (moves, 8)])
    services.path_enrol(user=new_hire, path=path, actor=None)
    client = as_user(new_hire)
    url = f"/onboarding/paths/{path.pk}/certificate/"
    assert client.get(url).status_code == 404                # nothing done
    complete_module(new_hire, basics)
    assert client.get(url).status_code == 404                # half done
    complete_module(new_hire, moves)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certificate of completion" in html and new_hire.name in html
    assert "Who our customers are" in html and "100%" in html
    # Someone else's finished path is no certificate for another person.
    assert as_user(employee).get(url).status_code == 404
    assert client.get("/onboarding/paths/999999/certificate/").status_code == 404


def test_certificate_counts_modules_shared_between_paths(basics, moves, new_hire, as_user):
    first = onboarding_path("Who our customers are", [(basics, 3)])
    second = onboarding_path("Serving military families", [(basics, 3), (moves, 8)])
    services.path_enrol(user=new_hire, path=first, actor=None)
    services.path_enrol(user=new_hire, path=second, actor=None)
    complete_module(new_hire, basics)
    complete_module(new_hire, moves)
    client = as_user(new_hire)
    for path in (first, second):
        response = client.get(f"/onboarding/paths/{path.pk}/certificate/")
        assert response.status_code == 200, path.name
        assert basics.title in response.content.decode()
