import pytest

from ideas.models import Idea, Transition
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory, move

pytestmark = pytest.mark.django_db


def test_submit_and_decide_flow(employee_client, employee, reviewer, client, mailoutbox,
                                django_capture_on_commit_callbacks):
    segment = CustomerSegmentFactory(name="Military families")
    response = employee_client.post("/ideas/new/", {
        "title": "ลดเวลารอสายของลูกค้า", "problem": "ลูกค้ารอสายนานมากเมื่อโทรมาแจ้งเคลม",
        "customer_segment": segment.pk, "delight": "They are heard at once",
        "metric": "fcr", "tags": "phone, claims", "why_1": "Queues are long", "submit": "1",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    idea = Idea.objects.get()
    assert idea.status == "submitted" and idea.stage.name == "Submitted"
    assert employee_client.get("/ideas/?q=เคลม").content.decode().count("ลดเวลารอสาย") >= 1
    assert employee_client.get(f"/ideas/{idea.pk}/").status_code == 200
    client.force_login(reviewer)
    assert client.get("/ideas/queue/").status_code == 200
    assert client.get(f"/ideas/{idea.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        move(idea, "Triage", "Declined", actor=reviewer, reason="Out of scope this year")
    assert Transition.objects.filter(idea=idea).count() == 3
    assert any("Declined" in m.subject for m in mailoutbox)
    client.force_login(employee)
    page = client.get("/ideas/mine/").content.decode()
    assert "Out of scope this year" in page


def test_pages_render(employee_client, reviewer):
    IdeaFactory.create_batch(3)
    for url in ["/ideas/", "/ideas/new/", "/ideas/mine/", "/ideas/similar/?title=forty+minutes",
                "/ideas/export.csv"]:
        assert employee_client.get(url).status_code == 200, url
