"""Search in any script, filters and sorting on the idea list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ideas import services
from ideas.models import Idea, Metric
from people.models import JourneyStage
from tests.factories import DepartmentFactory, UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory, idea_form_data, move

pytestmark = pytest.mark.django_db


def found(client, query: str) -> list[int]:
    response = client.get(f"/ideas/?{query}")
    assert response.status_code == 200, query
    return [int(pk) for pk in re.findall(
        r'class="idea-card__title"><a href="/ideas/(\d+)/"', response.content.decode())]


# --- any language ------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,word", [
    # Thai, Lao and Khmer: no spaces between words; the word is inside the sentence.
    ("ลูกค้ารอสายนานมากเมื่อโทรมาแจ้งเคลมประกัน", "แจ้งเคลม"),
    ("ລູກຄ້າລໍຖ້າດົນເກີນໄປເມື່ອໂທຫາສູນບໍລິການ", "ດົນເກີນໄປ"),
    ("អតិថិជនរង់ចាំយូរពេកនៅពេលហៅទូរស័ព្ទ", "រង់ចាំ"),
    # Persian, right to left, with spaces.
    ("مشتریان مدت زیادی پشت خط تلفن منتظر می‌مانند", "منتظر"),
])
def test_search_finds_a_word_inside_a_sentence_in_any_script(sentence, word, employee_client):
    match = IdeaFactory(title="Waiting", problem=sentence)
    IdeaFactory(title="Other", problem="Customers like the new app.")
    assert found(employee_client, f"q={word}") == [match.pk]
    page = employee_client.get(f"/ideas/?q={word}").content.decode()
    assert word in page  # the search box keeps what was typed
    assert sentence not in employee_client.get("/ideas/?q=app").content.decode()


def test_thai_title_is_found_and_shown_intact(employee_client):
    idea = IdeaFactory(title="ลดเวลารอสายของลูกค้าที่โทรมาแจ้งเคลม")
    assert found(employee_client, "q=รอสาย") == [idea.pk]
    page = employee_client.get("/ideas/?q=รอสาย").content.decode()
    assert "ลดเวลา<mark>รอสาย</mark>ของลูกค้าที่โทรมาแจ้งเคลม" in page


def test_persian_presentation_forms_match_normal_letters(employee_client):
    idea = IdeaFactory(problem="مشتریان منتظر می‌مانند")
    # The same word typed in Arabic presentation forms (as some old systems produce).
    presentation = "\ufee3\ufee8\ufe98\ufec8\ufeae"  # ﻣﻨﺘﻈﺮ
    assert found(employee_client, f"q={presentation}") == [idea.pk]


def test_english_search_is_case_insensitive(employee_client):
    idea = IdeaFactory(title="Refund Delays for Online Orders")
    IdeaFactory(title="Something else")
    assert found(employee_client, "q=REFUND+delays") == [idea.pk]
    assert found(employee_client, "q=online") == [idea.pk]
    assert found(employee_client, "q=refund+nowhere") == []


def test_search_covers_every_text_field(employee, employee_client, reviewer):
    segment = CustomerSegmentFactory()
    employee_client.post("/ideas/new/", idea_form_data(
        segment, title="Alpha", problem="Bravoproblem", customer_detail="Charliecustomer",
        delight="Deltadelight", why_1="Echowhy", tags="Foxtrottag"))
    idea = Idea.objects.get()
    for word in ["alpha", "bravoproblem", "charliecustomer", "deltadelight", "echowhy",
                 "foxtrottag"]:
        assert found(employee_client, f"q={word}") == [idea.pk], word


def test_search_reaches_the_export(employee_client):
    IdeaFactory(title="ลูกค้ารอสายนาน")
    IdeaFactory(title="Plain English")
    text = employee_client.get("/ideas/export.csv?q=รอสาย").getvalue().decode("utf-8-sig")
    assert "ลูกค้ารอสายนาน" in text and "Plain English" not in text


# --- filters -----------------------------------------------------------------------------

def test_filters(employee_client, reviewer):
    sales, care = DepartmentFactory(name="Sales"), DepartmentFactory(name="Care")
    families, veterans = CustomerSegmentFactory(name="Families"), CustomerSegmentFactory(
        name="Veterans")
    journey = JourneyStage.objects.create(name="Test journey stage", order=99)
    owner = UserFactory(display_name="Olive Owner")
    a = IdeaFactory(department=sales, customer_segment=families, metric=Metric.NPS,
                    journey_stage=journey)
    b = IdeaFactory(department=care, customer_segment=veterans, metric=Metric.CHURN)
    c = IdeaFactory(department=care, customer_segment=families, metric=Metric.NPS)
    a.tags.add("phone")
    c.tags.add("phone", "web")
    move(b, "Triage", "Accepted", actor=reviewer)
    services.idea_set_sponsor(idea=b, sponsor=owner, actor=reviewer)
    b.refresh_from_db()
    now = timezone.now()
    Idea.objects.filter(pk=a.pk).update(submitted_at=now - timedelta(days=40))
    Idea.objects.filter(pk=b.pk).update(submitted_at=now - timedelta(days=10))
    Idea.objects.filter(pk=c.pk).update(submitted_at=now)

    def ids(query):
        return set(found(employee_client, query))

    assert ids(f"stage={b.stage_id}") == {b.pk}
    assert ids(f"stage={a.stage_id}") == {a.pk, c.pk}
    assert ids(f"department={care.pk}") == {b.pk, c.pk}
    assert ids("metric=nps") == {a.pk, c.pk}
    assert ids("metric=churn") == {b.pk}
    assert ids(f"segment={families.pk}") == {a.pk, c.pk}
    assert ids(f"journey_stage={journey.pk}") == {a.pk}
    assert ids("tag=phone") == {a.pk, c.pk}
    assert ids("tag=web") == {c.pk}
    assert ids(f"sponsor={owner.pk}") == {b.pk}
    since = (now - timedelta(days=20)).date().isoformat()
    until = (now - timedelta(days=5)).date().isoformat()
    assert ids(f"submitted_after={since}") == {b.pk, c.pk}
    assert ids(f"submitted_before={until}") == {a.pk, b.pk}
    assert ids(f"submitted_after={since}&submitted_before={until}") == {b.pk}
    assert ids(f"metric=nps&department={care.pk}") == {c.pk}
    # An idea with two tags appears once when filtered by tag.
    assert found(employee_client, "tag=phone").count(c.pk) == 1


# --- sorting -----------------------------------------------------------------------------

def test_sorting(employee_client, reviewer):
    few, many, none = IdeaFactory(), IdeaFactory(), IdeaFactory()
    Idea.objects.filter(pk=few.pk).update(support_count=2)
    Idea.objects.filter(pk=many.pk).update(support_count=9)
    now = timezone.now()
    for offset, idea in enumerate([many, few, none]):
        Idea.objects.filter(pk=idea.pk).update(submitted_at=now - timedelta(days=offset))
    assert found(employee_client, "sort=supported") == [many.pk, few.pk, none.pk]
    assert found(employee_client, "sort=newest") == [many.pk, few.pk, none.pk]
    Idea.objects.filter(pk=many.pk).update(submitted_at=now - timedelta(days=5))
    assert found(employee_client, "sort=newest") == [few.pk, none.pk, many.pk]
    assert found(employee_client, "") == [few.pk, none.pk, many.pk]
    move(none, "Declined", actor=reviewer)
    assert found(employee_client, "sort=decided")[0] == none.pk


def test_support_through_the_page_changes_the_order(employee_client, employee):
    first, second = IdeaFactory(title="First"), IdeaFactory(title="Second")
    Idea.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    assert found(employee_client, "sort=supported") == [second.pk, first.pk]
    employee_client.post(f"/ideas/{first.pk}/support/")
    assert found(employee_client, "sort=supported") == [first.pk, second.pk]
    assert "1 supporter" in employee_client.get("/ideas/?sort=supported").content.decode()


@pytest.mark.parametrize("tag", ["เคลม", "ລໍຖ້າ", "រង់ចាំ", "تلفن", "Call centre"])
def test_tag_links_find_their_ideas_in_any_script(tag, employee_client):
    idea = IdeaFactory()
    idea.tags.add(tag)
    IdeaFactory().tags.add("other")
    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    link = re.search(r'href="/ideas/\?tag=([^"]*)"', page).group(1)
    assert found(employee_client, f"tag={link}") == [idea.pk]
