"""Reference data (departments, customer vocabularies, stages) in the reader's language,
falling back to English (django-modeltranslation; people/translation.py)."""

import pytest
from django.conf import settings
from django.utils import translation

from ideas.models import Stage
from ideas.services import idea_transition
from notifications.models import Notification
from people import roles
from people.models import Channel, CustomerSegment, Department, JourneyStage
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, answer_questions, move, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims():
    return Department.objects.create(name_en="Claims", name_th="สินไหม", name_fa="خسارت")


def _page(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language, department, stage_name", [
    ("en", "Claims", "Accepted"), ("th", "สินไหม", "ยอมรับแล้ว"), ("fa", "خسارت", "پذیرفته‌شده"),
])
def test_idea_list_and_page_show_department_and_stage_in_the_readers_language(
        employee_client, reviewer, claims, language, department, stage_name):
    idea = IdeaFactory(title="Callback instead of hold", department=claims)
    move(idea, "Triage", "Accepted", actor=reviewer)
    for url in ("/ideas/", f"/ideas/{idea.pk}/"):
        page = _page(employee_client, url, language)
        assert department in page, url
        assert stage_name in page, url
    if language != "en":
        assert ">Claims<" not in _page(employee_client, f"/ideas/{idea.pk}/", language)


def test_an_untranslated_name_falls_back_to_english(employee_client, reviewer):
    lonely = Department.objects.create(name_en="Field Operations", name_th="ปฏิบัติการภาคสนาม")
    idea = IdeaFactory(title="Text the visit window", department=lonely)
    assert "ปฏิบัติการภาคสนาม" in _page(employee_client, f"/ideas/{idea.pk}/", "th")
    assert "Field Operations" in _page(employee_client, f"/ideas/{idea.pk}/", "fa")
    with translation.override("fa"):
        assert lonely.name == "Field Operations"


def test_the_english_column_stays_english_whatever_the_admin_language(claims):
    with translation.override("th"):
        claims.head_count = 12
        claims.save()
        assert claims.name == "สินไหม"
    # Ordering, uniqueness and raw exports read the original column: English.
    assert Department.objects.filter(pk=claims.pk).values_list("name", flat=True).get() \
        in ("Claims",)
    assert Department.objects.raw(
        "SELECT id, name FROM portal_department WHERE id = %s", [claims.pk])[0].name_en == "Claims"


def test_default_vocabularies_ship_in_thai_and_persian():
    with translation.override("th"):
        assert JourneyStage.objects.get(name_en="Get help").name == "ขอความช่วยเหลือ"
        assert Channel.objects.get(name_en="Mobile app").name == "แอปมือถือ"
        assert Stage.objects.get(name_en="Declined").name != "Declined"
    with translation.override("fa"):
        assert Channel.objects.get(name_en="Phone").name == "تلفن"


def test_a_decision_names_an_admin_translated_stage_in_each_recipients_language(
        reviewer, django_capture_on_commit_callbacks, mailoutbox):
    pilot = Stage.objects.create(name_en="Pilot", name_th="ทดลองนำร่อง", name_fa="آزمایش میدانی",
                                 order=35, kind=Stage.Kind.IN_PROGRESS)
    stage("Submitted").allowed_next.add(pilot)
    thai = UserFactory(preferred_language="th", email="somchai@example.com")
    persian = UserFactory(preferred_language="fa", email="navid@example.com")
    idea = IdeaFactory(submitter=thai, title="Pilot the callback")
    idea.follows.create(user=persian)
    answer_questions(idea)  # a reviewer said yes to Amazon's two questions
    # The reviewer works in English; each recipient reads their own language.
    with django_capture_on_commit_callbacks(execute=True):
        idea_transition(idea=idea, to_stage=pilot, actor=reviewer, reason="Try it")
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert "ทดลองนำร่อง" in subjects[thai.email]
    assert "آزمایش میدانی" in subjects[persian.email]
    # Renamed later: the notification centre shows the stage's current name.
    pilot.name_fa = "اجرای آزمایشی"
    pilot.save()
    note = Notification.objects.get(recipient=persian)
    with translation.override("fa"):
        assert "اجرای آزمایشی" in note.title


def test_the_admin_edits_each_language_in_its_own_field(admin_client_):
    page = admin_client_.get("/admin/snippets/ideas/stage/add/").content.decode()
    for column in ("name_en", "name_th", "name_fa"):
        assert f'name="{column}"' in page
    from wagtail.admin.panels import get_edit_handler

    form = get_edit_handler(CustomerSegment).get_form_class()()
    assert {"name_en", "name_th", "summary_fa", "pains_th"} <= set(form.fields)
    headings = [str(panel.heading) for panel in CustomerSegment.panels]
    assert headings[:3] == ["Name (English)", "Name (Thai)", "Name (Persian)"]


def test_customer_filters_offer_the_readers_language(employee_client):
    CustomerSegment.objects.create(name_en="Retirees", name_th="ผู้เกษียณ", name_fa="بازنشستگان")
    assert "ผู้เกษียณ" in _page(employee_client, "/ideas/", "th")
    assert "بازنشستگان" in _page(employee_client, "/ideas/", "fa")


def test_reviewer_queue_shows_departments_translated(client, claims):
    reviewer = UserFactory(roles=[roles.REVIEWER])
    client.force_login(reviewer)
    IdeaFactory(title="Shorter claim forms", department=claims)
    assert "خسارت" in _page(client, "/ideas/queue/", "fa")
