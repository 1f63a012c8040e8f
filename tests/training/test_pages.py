"""Every onboarding page renders: module, lesson with every block type, quiz, my
onboarding, certificate, report, team, enrol, the home panel and the admin editors."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from training import services

from .factories import (
    answers_for,
    as_post,
    complete_module,
    onboarding_path,
    rich_lesson,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_path(basics, moves, new_hire):
    path = onboarding_path("Who our customers are", [(basics, 2), (moves, 5)])
    services.path_enrol(user=new_hire, path=path, actor=None)
    complete_module(new_hire, basics)
    complete_module(new_hire, moves)
    return path


def ok(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_lesson_renders_every_block_type(basics, new_hire, as_user):
    lesson = rich_lesson(basics)
    html = ok(as_user(new_hire), lesson.url)
    for marker in [
        "<h2>Life on the move</h2>", "RICH-TEXT",                           # text
        'alt="A tray of field rations"', "<img",                            # image
        "youtube-nocookie.com/embed/x",                                     # video
        "QUOTE-TEXT", "spouse of a soldier",                                # quote
        "Persona: Military families on the move", "PERSONA-NOTE",          # persona card
        "One checklist for moving.", "Re-telling their story",
        "Empathy map", "THINKS-1", "FEELS-1", "SAYS-1", "DOES-1",           # empathy map
        "JOURNEY-TITLE", "STAGE-ORDERS", "TOUCH-PHONE", "anxious",           # journey map
        "STAGE-SETTLED", "journey-step--delighted",
        "WHYS-PROBLEM", "WHY-1", "WHY-2", "WHYS-ROOT",                      # 5 whys
        'href="/ideas/new/"', "CTA-TEXT",                                   # call to action
        "Lesson 3 of 3", "Mark complete",
    ]:
        assert marker in html, marker


def test_learner_pages_render(basics, moves, finished_path, new_hire, as_user):
    client = as_user(new_hire)
    html = ok(client, basics.url)
    assert "Lessons" in html and "Retake the quiz" in html and "pass mark 70%" in html
    html = ok(client, basics.lessons().first().url)
    assert "Lesson 1 of 2" in html and "Next lesson" in html
    html = ok(client, f"/onboarding/modules/{basics.pk}/quiz/")
    assert "How often do military families move?" in html and "Submit answers" in html
    response = client.post(f"/onboarding/modules/{basics.pk}/quiz/",
                           as_post(answers_for(basics)))
    assert "You scored 100%" in response.content.decode()
    html = ok(client, "/onboarding/")
    assert "Overall progress" in html and "100%" in html
    assert f"/onboarding/paths/{finished_path.pk}/certificate/" in html
    html = ok(client, f"/onboarding/paths/{finished_path.pk}/certificate/")
    assert "Certificate of completion" in html
    assert client.get("/learn/").url == "/onboarding/"      # the index leads to my onboarding


def test_home_page_shows_the_onboarding_panel(basics, new_hire, as_user):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    html = ok(as_user(new_hire), "/")
    assert "Your onboarding" in html and basics.title in html


def test_empty_my_onboarding(new_hire, as_user):
    assert "You have no onboarding modules assigned" in ok(as_user(new_hire), "/onboarding/")


def test_manager_and_hr_pages_render(finished_path, new_hire, programme_admin, as_user):
    manager = UserFactory(display_name="Mina Manager")
    new_hire.manager = manager
    new_hire.save()
    assert new_hire.name in ok(as_user(manager), "/onboarding/team/")
    client = as_user(programme_admin)
    assert "Onboarding report" in ok(client, "/onboarding/report/")
    html = ok(client, "/onboarding/enrol/")
    # People are chosen by searching, not from a list of every employee.
    assert finished_path.name in html and "data-person-search" in html
    assert new_hire.email not in html


def test_admin_editors_render(basics, finished_path):
    lesson = rich_lesson(basics)
    editor = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(editor)
    for url in [f"/admin/pages/{basics.pk}/edit/", f"/admin/pages/{lesson.pk}/edit/",
                f"/admin/pages/add/training/modulepage/{basics.get_parent().pk}/",
                f"/admin/pages/add/training/lessonpage/{basics.pk}/",
                "/admin/snippets/training/onboardingpath/",
                f"/admin/snippets/training/onboardingpath/edit/{finished_path.pk}/"]:
        assert client.get(url).status_code == 200, url


def test_one_certificate_link_per_path(basics, moves, new_hire, as_user):
    """Modules of two paths interleave by due date; each path is offered once."""
    from .factories import module_page

    claims = module_page("claims", title="A claim from first call to payment")
    first = onboarding_path("Who our customers are", [(basics, 2), (claims, 9)])
    second = onboarding_path("Serving military families", [(moves, 5)])
    services.path_enrol(user=new_hire, path=first, actor=None)
    services.path_enrol(user=new_hire, path=second, actor=None)
    html = ok(as_user(new_hire), "/onboarding/")
    assert html.count(f"/onboarding/paths/{first.pk}/certificate/") == 1
    assert html.count(f"/onboarding/paths/{second.pk}/certificate/") == 1
