"""Logging customer insights (bad input, HTML shown as text, links to ideas), the feed's
filters and search in every script, and the meeting opener scoped to one department."""

import pytest
from django.core.exceptions import ValidationError

from champions import selectors, services
from champions.models import Insight
from ideas.models import Idea
from people.models import Channel
from tests.factories import DepartmentFactory, UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory, move

from .factories import InsightFactory, as_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('boo')</script><b>bold</b> & co"


def log_insight(client, **overrides):
    data = {"text": "Customers want one number to call.", "sentiment": "negative",
            "tags": "", "idea_number": ""}
    data.update(overrides)
    return client.post("/champions/insights/", data)


def test_log_an_insight_with_segment_channel_sentiment_and_tags(employee):
    segment = CustomerSegmentFactory(name="Retirees managing claims")
    phone = Channel.objects.get(name="Phone")
    response = log_insight(as_user(employee), customer_segment=segment.pk, channel=phone.pk,
                           sentiment="positive", tags="callback, hold time")
    assert response.status_code == 302
    insight = Insight.objects.get()
    assert (insight.author, insight.department, insight.customer_segment, insight.channel,
            insight.sentiment) == (employee, employee.department, segment, phone, "positive")
    assert sorted(insight.tags.names()) == ["callback", "hold time"]


def test_html_in_an_insight_is_shown_as_text_everywhere(employee, champion):
    assert log_insight(as_user(employee), text=SCRIPT).status_code == 302
    assert Insight.objects.get().text == SCRIPT
    viewer = as_user(champion)
    for url in ["/champions/insights/", f"/champions/meeting/{employee.department_id}/",
                f"/champions/people/{employee.pk}/", "/"]:
        page = viewer.get(url).content.decode()
        assert "&lt;script&gt;alert(" in page, url
        assert "<script>alert(" not in page and "<b>bold</b>" not in page, url


@pytest.mark.parametrize("text, message", [
    ("", "This field is required."),
    ("   \n  ", "This field is required."),
    ("x" * 1001, "at most 1000 characters"),
])
def test_empty_and_oversize_insights_are_refused_with_a_message(employee, text, message):
    response = log_insight(as_user(employee), text=text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Insight.objects.exists()


def test_exactly_1000_characters_is_fine_and_thai_is_counted_in_characters(employee):
    client = as_user(employee)
    assert log_insight(client, text="x" * 1000).status_code == 302
    assert log_insight(client, text="ลูกค้า" * 166).status_code == 302  # 996 characters
    assert Insight.objects.count() == 2


def test_the_service_refuses_bad_text_too(employee):
    for text in ["", " ", "y" * 1001]:
        with pytest.raises(ValidationError):
            services.insight_create(author=employee, text=text, sentiment="neutral")
    with pytest.raises(ValidationError):
        services.insight_create(author=employee, text="Fine", sentiment="furious")
    assert not Insight.objects.exists()


def test_an_insight_can_link_an_idea_the_author_can_see(employee):
    idea = IdeaFactory(title="Call customers back")
    assert log_insight(as_user(employee), idea_number=idea.pk).status_code == 302
    assert Insight.objects.get().idea == idea
    profile = as_user(employee).get(f"/champions/people/{employee.pk}/").content.decode()
    assert f"/ideas/{idea.pk}/" in profile


def test_linking_an_idea_the_author_cannot_see_is_refused(employee, reviewer):
    author = UserFactory()
    secret = IdeaFactory(submitter=author, title="Zebracorn pricing", confidential=True)
    draft = IdeaFactory(submitter=author, title="Unfinished", status=Idea.Status.DRAFT)
    client = as_user(employee)
    for number in [secret.pk, draft.pk, 999999]:
        response = log_insight(client, idea_number=number)
        assert response.status_code == 400
        assert "There is no idea with that number." in response.content.decode()
    assert "Zebracorn" not in response.content.decode()
    assert not Insight.objects.exists()
    with pytest.raises(ValidationError, match="Choose an idea you can see"):
        services.insight_create(author=employee, text="Pricing", sentiment="neutral",
                                idea=secret)
    assert not Insight.objects.exists()
    # Someone who may see confidential ideas can link it.
    assert log_insight(as_user(reviewer), idea_number=secret.pk).status_code == 302


def test_insight_feed_filters_and_search_in_every_script(employee):
    claims = DepartmentFactory(name="Claims")
    InsightFactory(author=UserFactory(department=claims),
                   text="ลูกค้าอยากให้โทรกลับหลังเลิกงาน", sentiment="negative",
                   tags=["callback"])
    InsightFactory(text="مشتری از پاسخ سریع راضی بود", sentiment="positive")
    InsightFactory(text="Shop owners cannot hold for forty minutes", sentiment="negative")
    client = as_user(employee)

    def texts(query):
        response = client.get(f"/champions/insights/?{query}")
        assert response.status_code == 200, query
        return [i.text for i in response.context["page"]]

    assert texts("q=โทรกลับ") == ["ลูกค้าอยากให้โทรกลับหลังเลิกงาน"]
    assert texts("q=راضی") == ["مشتری از پاسخ سریع راضی بود"]
    assert texts("q=FORTY") == ["Shop owners cannot hold for forty minutes"]
    assert texts("sentiment=positive") == ["مشتری از پاسخ سریع راضی بود"]
    assert texts(f"department={claims.pk}") == ["ลูกค้าอยากให้โทรกลับหลังเลิกงาน"]
    assert texts("tag=callback") == ["ลูกค้าอยากให้โทรกลับหลังเลิกงาน"]
    assert len(texts("sentiment=negative")) == 2
    page = client.get("/champions/insights/").content.decode()
    assert 'dir="auto"' in page and "مشتری از پاسخ سریع راضی بود" in page


@pytest.mark.parametrize("query", ["sentiment=furious", "department=abc", "department=999999",
                                   "segment=x", "channel=-1", "q=" + "a" * 201,
                                   "tag=" + "t" * 101])
def test_bad_insight_filters_answer_400(employee, query):
    InsightFactory()
    assert as_user(employee).get(f"/champions/insights/?{query}").status_code == 400


def test_bad_insight_page_is_404_not_500(employee):
    InsightFactory()
    client = as_user(employee)
    assert client.get("/champions/insights/?after=abc").status_code == 404
    assert client.get("/champions/insights/?before=WzEsMiwzXQ").status_code == 404
    assert client.get("/champions/insights/?page=99").status_code == 200  # old links: page 1


@pytest.fixture
def meeting_world(reviewer):
    claims = DepartmentFactory(name="Claims")
    sales = DepartmentFactory(name="Sales")
    claims_person = UserFactory(department=claims)
    sales_person = UserFactory(department=sales)
    InsightFactory(author=claims_person, text="Claims customer wants SMS updates")
    InsightFactory(author=sales_person, text="Sales customer wants invoices")
    IdeaFactory(department=claims, submitter=claims_person, title="Claims open idea")
    move(IdeaFactory(department=claims, submitter=claims_person, title="Claims declined idea"),
         "Triage", "Declined", actor=reviewer)
    IdeaFactory(department=claims, submitter=claims_person, title="Claims confidential idea",
                confidential=True)
    IdeaFactory(department=claims, submitter=claims_person, title="Claims draft idea",
                status=Idea.Status.DRAFT)
    IdeaFactory(department=sales, submitter=sales_person, title="Sales open idea")
    return {"claims": claims, "claims_person": claims_person}


def test_meeting_opener_shows_only_its_departments_insights_and_open_ideas(
        meeting_world, employee):
    claims = meeting_world["claims"]
    page = as_user(employee).get(f"/champions/meeting/{claims.pk}/").content.decode()
    assert "Claims customer wants SMS updates" in page
    assert "Claims open idea" in page
    for absent in ["Sales customer wants invoices", "Sales open idea", "Claims declined idea",
                   "Claims confidential idea", "Claims draft idea"]:
        assert absent not in page, absent
    data = selectors.meeting_opener(department=claims, viewer=employee)
    assert [i.title for i in data["ideas"]] == ["Claims open idea"]
    assert [i.text for i in data["insights"]] == ["Claims customer wants SMS updates"]


def test_meeting_opener_shows_confidential_ideas_only_to_those_who_may_see_them(
        meeting_world, reviewer):
    claims = meeting_world["claims"]
    url = f"/champions/meeting/{claims.pk}/"
    assert "Claims confidential idea" in as_user(reviewer).get(url).content.decode()
    submitter = meeting_world["claims_person"]
    assert "Claims confidential idea" in as_user(submitter).get(url).content.decode()
    assert "Claims confidential idea" not in as_user(UserFactory(department=claims)).get(
        url).content.decode()


def test_meeting_opener_shows_the_latest_six_insights(employee):
    claims = DepartmentFactory(name="Claims")
    author = UserFactory(department=claims)
    for i in range(8):
        InsightFactory(author=author, text=f"Insight number {i}")
    page = as_user(employee).get(f"/champions/meeting/{claims.pk}/").content.decode()
    assert "Insight number 7" in page and "Insight number 2" in page
    assert "Insight number 1" not in page and "Insight number 0" not in page


def test_meeting_opener_for_a_missing_department_is_404(employee):
    assert as_user(employee).get("/champions/meeting/999999/").status_code == 404
