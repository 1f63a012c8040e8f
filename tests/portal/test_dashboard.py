from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import Idea
from tests.ideas.factories import IdeaFactory, move

pytestmark = pytest.mark.django_db


def test_dashboard_is_for_programme_admins_only(client, employee, reviewer, champion):
    for person in (employee, reviewer, champion):
        client.force_login(person)
        assert client.get("/dashboard/").status_code == 403


def test_dashboard_figures_on_a_known_data_set(admin_client_, reviewer):
    decided = IdeaFactory.create_batch(4)
    for i, idea in enumerate(decided):
        Idea.objects.filter(pk=idea.pk).update(
            submitted_at=timezone.now() - timedelta(days=10 + i))
        idea.refresh_from_db()
        move(idea, "Triage", "Accepted" if i < 3 else "Declined", actor=reviewer)
    IdeaFactory()  # still waiting
    page = admin_client_.get("/dashboard/")
    assert page.status_code == 200
    ideas = page.context["ideas"]
    assert ideas["submitted"] == 5
    assert ideas["decided"] == 4
    assert ideas["acceptance_rate"] == 75
    assert 10 <= ideas["median_days"] <= 12
    assert 12 <= ideas["p90_days"] <= 14
    csv = admin_client_.get("/dashboard/?export=funnel").content.decode()
    assert "Accepted,3" in csv and "Declined,1" in csv


def test_bad_filters_are_400(admin_client_):
    for query in ("start=yesterday", "department=abc", "department=999999", "export=nope"):
        assert admin_client_.get(f"/dashboard/?{query}").status_code == 400, query


def test_dashboard_queries_do_not_grow_with_ideas(admin_client_, reviewer):
    IdeaFactory.create_batch(2)
    admin_client_.get("/dashboard/")
    with CaptureQueriesContext(connection) as few:
        admin_client_.get("/dashboard/")
    for idea in IdeaFactory.create_batch(12):
        move(idea, "Triage", actor=reviewer)
    with CaptureQueriesContext(connection) as many:
        admin_client_.get("/dashboard/")
    assert len(many) == len(few)
