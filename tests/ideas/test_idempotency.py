"""The new-idea form carries a per-form token: posting it twice (double click, retried
request) finds the first idea instead of creating another. (The race of two posts at
once on PostgreSQL is in tests/faults/test_double_post.py.)"""

import re
import uuid

import pytest

from ideas import services
from ideas.models import Idea, Transition
from tests.factories import UserFactory
from tests.ideas.factories import CustomerSegmentFactory, idea_form_data

pytestmark = pytest.mark.django_db


def form_token(client) -> str:
    page = client.get("/ideas/new/").content.decode()
    return re.search(r'name="form_token" value="([0-9a-f-]{36})"', page).group(1)


def test_the_same_form_posted_twice_makes_one_idea(employee_client, employee):
    data = {**idea_form_data(CustomerSegmentFactory()), "form_token": form_token(employee_client),
            "submit": "1"}
    first = employee_client.post("/ideas/new/", data)
    second = employee_client.post("/ideas/new/", data, follow=True)
    idea = Idea.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/ideas/{idea.pk}/"
    assert second.redirect_chain == [(f"/ideas/{idea.pk}/", 302)]
    assert "form was sent twice" in second.content.decode()
    assert str(idea.submission_token) == data["form_token"]
    assert Transition.objects.filter(idea=idea).count() == 1


def test_each_rendered_form_has_its_own_token(employee_client):
    assert form_token(employee_client) != form_token(employee_client)


def test_a_form_without_token_still_works(employee_client):
    data = {**idea_form_data(CustomerSegmentFactory()), "submit": "1"}
    employee_client.post("/ideas/new/", data)
    employee_client.post("/ideas/new/", data)
    assert Idea.objects.count() == 2  # nothing to recognise a repeat by


def test_someone_elses_token_finds_nothing(employee):
    token = uuid.uuid4()
    services.idea_save_draft(actor=employee, title="Mine", problem="p", delight="d",
                             metric="nps", submission_token=token)
    assert services.idea_for_submission(actor=UserFactory(), token=token) is None
    assert services.idea_for_submission(actor=employee, token=token).title == "Mine"
