"""The ideas and review endpoints: the same visibility as the pages (someone's draft and
a confidential idea are 404s for those who may not see them), each action's happy path,
and bad input as a problem, never a 500."""

import pytest

from ideas.models import Comment, Follow, Idea, Stage, Support
from tests.factories import UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory, stage

from .helpers import API, is_problem, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(employee):
    return token_client(employee)


def test_list_shows_what_the_list_page_shows(api, employee):
    public = IdeaFactory(title="Public one")
    IdeaFactory(title="Confidential one", confidential=True)
    IdeaFactory(title="Someone's draft", status=Idea.Status.DRAFT)
    body = api.get(f"{API}/ideas").json()
    assert [row["id"] for row in body["items"]] == [public.pk]
    assert body["count"] == 1 and body["next"] is None
    row = body["items"][0]
    assert row["stage"]["name"] and row["url"] == public.get_absolute_url()


def test_list_filters_are_the_list_page_filters(api):
    a = IdeaFactory(title="Queue callbacks for claims")
    b = IdeaFactory(title="Paperless statements")
    assert [r["id"] for r in api.get(f"{API}/ideas?q=callbacks").json()["items"]] == [a.pk]
    by_dept = api.get(f"{API}/ideas?department={b.department_id}").json()["items"]
    assert [r["id"] for r in by_dept] == [b.pk]


@pytest.mark.parametrize("query", ["stage=abc", "department=99999999999999999999999",
                                   "sort=sideways", "submitted_after=yesterday",
                                   "metric=nope"])
def test_invalid_filter_is_a_400_problem(api, query):
    body = is_problem(api.get(f"{API}/ideas?{query}"), 400)
    assert body["errors"] and body["errors"][0]["field"] == query.split("=")[0]


def test_list_pages_with_a_cursor_and_a_tampered_cursor_is_404(api):
    ideas = [IdeaFactory() for __ in range(3)]
    first = api.get(f"{API}/ideas?limit=2").json()
    assert len(first["items"]) == 2 and first["next"]
    second = api.get(f"{API}/ideas?limit=2&after={first['next']}").json()
    assert {r["id"] for r in first["items"] + second["items"]} == {i.pk for i in ideas}
    is_problem(api.get(f"{API}/ideas?after=garbage"), 404)


def test_detail(api, employee):
    idea = IdeaFactory()
    idea.tags.add("phones")
    body = api.get(f"{API}/ideas/{idea.pk}").json()
    assert body["title"] == idea.title and body["tags"] == [{"slug": "phones",
                                                             "name": "phones"}]
    assert body["comments"] == f"{API}/ideas/{idea.pk}/comments"
    assert body["viewer_supports"] is False and body["submitter"]["id"] == idea.submitter_id


def test_detail_credits_co_authors_and_gives_the_measured_impact(api, employee):
    from ideas import services
    from ideas.models import ImpactMeasurement
    from tests.factories import UserFactory

    idea = IdeaFactory(metric="churn")
    colleague = UserFactory(display_name="Carl Colleague")
    services.idea_coauthor_answer(
        contribution=services.idea_coauthor_invite(idea=idea, person=colleague,
                                                   actor=idea.submitter),
        actor=colleague, accept=True)
    body = api.get(f"{API}/ideas/{idea.pk}").json()
    assert [p["id"] for p in body["coauthors"]] == [colleague.pk] and body["impact"] is None
    ImpactMeasurement.objects.create(idea=idea, metric="churn", unit="percent", baseline="12",
                                     measured="9.5", measured_on="2026-11-20", method="CRM")
    impact = api.get(f"{API}/ideas/{idea.pk}").json()["impact"]
    assert (impact["baseline"], impact["measured"], impact["improved"]) == ("12.00", "9.50",
                                                                            True)


@pytest.mark.parametrize("kind", ["draft", "confidential", "missing", "huge"])
def test_hidden_ideas_are_404_for_an_employee(api, kind):
    if kind == "missing":
        pk = 987654
    elif kind == "huge":
        pk = 2**70
    else:
        pk = IdeaFactory(status=Idea.Status.DRAFT if kind == "draft" else "submitted",
                         confidential=kind == "confidential").pk
    for path in ("", "/comments"):
        response = api.get(f"{API}/ideas/{pk}{path}")
        assert response.status_code in (404, 422)
        assert response["Content-Type"].startswith("application/problem+json")
    if kind in ("draft", "confidential"):
        for action in ("support", "follow", "submit"):
            is_problem(api.post(f"{API}/ideas/{pk}/{action}"), 404)
        is_problem(api.post(f"{API}/ideas/{pk}/comments", {"body": "hi"},
                            content_type="application/json"), 404)


def test_reviewer_sees_confidential(reviewer):
    idea = IdeaFactory(confidential=True)
    assert token_client(reviewer).get(f"{API}/ideas/{idea.pk}").status_code == 200


def _draft_payload(**overrides):
    segment = CustomerSegmentFactory()
    return {"title": "Call-back queue", "problem": "Long waits on hold.",
            "delight": "No waiting.", "customer_segment": segment.pk, "metric": "fcr",
            "tags": ["phones", "queue"], "whys": ["Because staff are busy."], **overrides}


def test_create_update_and_submit_a_draft(api, employee):
    response = api.post(f"{API}/ideas", _draft_payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and {t["name"] for t in body["tags"]} == {"phones",
                                                                               "queue"}
    pk = body["id"]
    response = api.put(f"{API}/ideas/{pk}", _draft_payload(title="Call-back queue v2"),
                       content_type="application/json")
    assert response.status_code == 200 and response.json()["title"] == "Call-back queue v2"
    response = api.post(f"{API}/ideas/{pk}/submit")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    # Submitted: no longer editable or submittable.
    is_problem(api.put(f"{API}/ideas/{pk}", _draft_payload(),
                       content_type="application/json"), 409)
    is_problem(api.post(f"{API}/ideas/{pk}/submit"), 409)


def test_bad_draft_input_is_a_422_and_creates_nothing(api):
    before = Idea.objects.count()
    body = is_problem(api.post(f"{API}/ideas", _draft_payload(customer_segment=999999),
                               content_type="application/json"), 422)
    assert body["errors"][0]["field"] == "customer_segment"
    is_problem(api.post(f"{API}/ideas", {"title": "x"}, content_type="application/json"), 422)
    is_problem(api.post(f"{API}/ideas", _draft_payload(title="x" * 201),
                        content_type="application/json"), 422)
    assert Idea.objects.count() == before


def test_someone_elses_draft_cannot_be_changed(api):
    draft = IdeaFactory(status=Idea.Status.DRAFT)
    is_problem(api.put(f"{API}/ideas/{draft.pk}", _draft_payload(),
                       content_type="application/json"), 404)


def test_support_follow_and_comment(api, employee):
    idea = IdeaFactory()
    response = api.post(f"{API}/ideas/{idea.pk}/support")
    assert response.json() == {"supported": True, "support_count": 1}
    assert Support.objects.filter(idea=idea, user=employee).exists()
    assert api.delete(f"{API}/ideas/{idea.pk}/support").json() == {
        "supported": False, "support_count": 0}
    assert api.post(f"{API}/ideas/{idea.pk}/follow").json() == {"following": True}
    assert Follow.objects.filter(idea=idea, user=employee).exists()
    assert api.delete(f"{API}/ideas/{idea.pk}/follow").json() == {"following": False}
    response = api.post(f"{API}/ideas/{idea.pk}/comments", {"body": "Good one"},
                        content_type="application/json")
    assert response.status_code == 201 and response.json()["body"] == "Good one"
    comments = api.get(f"{API}/ideas/{idea.pk}/comments").json()
    assert [c["body"] for c in comments["items"]] == ["Good one"]
    is_problem(api.post(f"{API}/ideas/{idea.pk}/comments", {"body": ""},
                        content_type="application/json"), 422)
    assert Comment.objects.filter(idea=idea).count() == 1


def test_supporting_your_own_idea_is_refused(employee, api):
    idea = IdeaFactory(submitter=employee)
    body = is_problem(api.post(f"{API}/ideas/{idea.pk}/support"), 422)
    assert "own" in body["detail"]


def test_review_queue_for_reviewers_only(api, reviewer):
    idea = IdeaFactory()
    is_problem(api.get(f"{API}/review/queue"), 403)
    body = token_client(reviewer).get(f"{API}/review/queue?assignee=none").json()
    assert [r["id"] for r in body["items"]] == [idea.pk]
    is_problem(token_client(reviewer).get(f"{API}/review/queue?sort=nope"), 400)


def test_transition_assign_and_their_refusals(api, reviewer):
    idea = IdeaFactory()
    client = token_client(reviewer)
    current = idea.stage
    target = current.allowed_next.exclude(kind=Stage.Kind.DUPLICATE).first()
    response = client.post(f"{API}/ideas/{idea.pk}/transition",
                           {"to_stage": target.pk, "reason": "Worth it.",
                            "expected_stage": current.pk}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["to_stage"]["id"] == target.pk
    # The same request again: the idea has moved on.
    is_problem(client.post(f"{API}/ideas/{idea.pk}/transition",
                           {"to_stage": target.pk, "expected_stage": current.pk},
                           content_type="application/json"), 409)
    # A move the pipeline does not allow.
    idea.refresh_from_db()
    forbidden = Stage.objects.exclude(pk__in=idea.stage.allowed_next.all()).exclude(
        pk=idea.stage_id).first()
    is_problem(client.post(f"{API}/ideas/{idea.pk}/transition", {"to_stage": forbidden.pk},
                           content_type="application/json"), 409)
    # An employee may not decide.
    is_problem(api.post(f"{API}/ideas/{idea.pk}/transition", {"to_stage": target.pk},
                        content_type="application/json"), 403)
    # Assign to themselves, then to a non-reviewer (refused), then nobody.
    response = client.post(f"{API}/ideas/{idea.pk}/assign", {"assignee": reviewer.pk},
                           content_type="application/json")
    assert response.json() == {"assignee": {"id": reviewer.pk, "name": reviewer.name,
                                            "job_title": reviewer.job_title}, "changed": True}
    is_problem(client.post(f"{API}/ideas/{idea.pk}/assign",
                           {"assignee": UserFactory().pk}, content_type="application/json"),
               422)
    assert client.post(f"{API}/ideas/{idea.pk}/assign", {"assignee": None},
                       content_type="application/json").json()["assignee"] is None
    is_problem(api.post(f"{API}/ideas/{idea.pk}/assign", {"assignee": None},
                        content_type="application/json"), 403)


def test_declining_needs_a_reason(reviewer):
    idea = IdeaFactory()
    declined = stage("Declined") if Stage.objects.filter(name="Declined").exists() else None
    if declined is None or not idea.stage.allowed_next.filter(pk=declined.pk).exists():
        pytest.skip("the default pipeline has no direct decline")
    response = token_client(reviewer).post(f"{API}/ideas/{idea.pk}/transition",
                                           {"to_stage": declined.pk, "reason": ""},
                                           content_type="application/json")
    assert response.status_code in (200, 422)
    assert response.status_code != 500


@pytest.mark.parametrize("path", ["/ideas", "/review/queue"])
def test_lists_cost_the_same_whatever_their_length(reviewer, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = token_client(reviewer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(API + path).status_code == 200
        return len(queries)

    for __ in range(3):
        IdeaFactory().tags.add("a", "b")
    count()
    few = count()
    for __ in range(6):
        IdeaFactory().tags.add("c")
    count()  # new departments and segments: vocabularies read again once
    assert count() == few


def test_accepting_through_the_api_needs_amazons_two_questions(reviewer):
    from tests.ideas.factories import move

    idea = move(IdeaFactory(), "Triage", "In review", actor=reviewer)
    client = token_client(reviewer)
    accepted = stage("Accepted").pk
    refused = client.post(f"{API}/ideas/{idea.pk}/transition", {"to_stage": accepted},
                          content_type="application/json")
    assert refused.status_code == 422
    assert "Amazon's two questions" in refused.content.decode()
    # One answer alone is kept apart from the other: still refused, nothing recorded.
    client.post(f"{API}/ideas/{idea.pk}/transition",
                {"to_stage": accepted, "customer_named": True},
                content_type="application/json")
    idea.refresh_from_db()
    assert idea.customer_named is None and idea.stage.name == "In review"
    response = client.post(f"{API}/ideas/{idea.pk}/transition",
                           {"to_stage": accepted, "customer_named": True,
                            "delight_explained": True}, content_type="application/json")
    assert response.status_code == 200, response.content
    idea.refresh_from_db()
    assert idea.stage.name == "Accepted" and idea.delight_explained is True
