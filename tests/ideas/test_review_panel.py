"""The reviewer's one decision panel: stage and reason, scorecard, reviewer, owner and an
internal note saved together, or nothing saved at all; then on to the next idea."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Idea, InternalNote, Score, Transition
from tests.champions.factories import as_user
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, move, stage

pytestmark = pytest.mark.django_db


def review(client, idea, **data):
    data.setdefault("expected_stage", idea.stage_id)
    if isinstance(data.get("to_stage"), str) and data["to_stage"][:1].isalpha():
        data["to_stage"] = stage(data["to_stage"]).pk
    return client.post(f"/ideas/{idea.pk}/review/", {k: v for k, v in data.items()
                                                     if v is not None})


def state(idea):
    idea = Idea.objects.get(pk=idea.pk)
    return (idea.stage.name, idea.assignee_id, idea.sponsor_id, idea.priority_score,
            Score.objects.filter(idea=idea).count(), InternalNote.objects.filter(idea=idea).count(),
            Transition.objects.filter(idea=idea).count())


def messages_after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def test_one_save_moves_scores_assigns_and_notes(reviewer, programme_admin):
    idea = IdeaFactory()
    client = as_user(reviewer)
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Save review" in page and f'action="/ideas/{idea.pk}/review/"' in page
    response = review(client, idea, to_stage="Triage", reason="Worth a look",
                      impact=4, reach=3, confidence=4, effort=2,
                      assignee=programme_admin.pk, note="Ask claims first")
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.stage.name == "Triage" and idea.assignee == programme_admin
    assert Score.objects.get(idea=idea, reviewer=reviewer).priority == 24
    assert InternalNote.objects.get(idea=idea).body == "Ask claims first"
    shown = messages_after(client, response)
    assert "Moved to Triage" in shown and "Your scores were saved." in shown
    assert f"Assigned to {programme_admin.name}." in shown and "Your note was added." in shown


def test_a_refused_move_saves_nothing_else_and_keeps_what_was_typed(reviewer):
    idea = move(IdeaFactory(), "Triage", "In review", actor=UserFactory(roles=["Reviewer"]))
    before = state(idea)
    response = review(as_user(reviewer), idea, to_stage="Declined", reason="  ",
                      impact=4, reach=3, confidence=4, effort=2, note="Half-done thought",
                      assignee=reviewer.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give a reason: the submitter will read it." in page
    assert "Half-done thought" in page  # what was typed is still there
    assert state(idea) == before


def test_scores_are_all_four_or_none(reviewer):
    idea = IdeaFactory()
    before = state(idea)
    response = review(as_user(reviewer), idea, impact=4, reach=3, note="x")
    assert response.status_code == 400
    assert "Give all four scores, or none." in response.content.decode()
    assert state(idea) == before


@pytest.mark.parametrize("bad", [{"impact": "9", "reach": 1, "confidence": 1, "effort": 1},
                                 {"to_stage": "99999999999999999999"},
                                 {"assignee": "x"}, {"note": "n" * 5001},
                                 {"duplicate_of": "²"}, {"expected_stage": ""}])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(reviewer, bad):
    idea = IdeaFactory()
    before = state(idea)
    response = review(as_user(reviewer), idea, **bad)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() or "field--error" in (
        response.content.decode())
    assert state(idea) == before


def test_a_page_left_open_while_someone_else_moved_the_idea_saves_nothing(reviewer,
                                                                            programme_admin):
    idea = IdeaFactory()
    submitted = idea.stage_id
    move(idea, "Triage", actor=programme_admin)
    before = state(idea)
    response = review(as_user(reviewer), idea, expected_stage=submitted,
                      note="About the old stage", impact=1, reach=1, confidence=1, effort=1)
    assert response.status_code == 400
    assert "Someone else moved this idea" in response.content.decode()
    assert state(idea) == before


def test_nobody_reviews_their_own_idea_through_the_panel(reviewer):
    idea = IdeaFactory(submitter=reviewer)
    before = state(idea)
    response = review(as_user(reviewer), idea, note="Mine is great", impact=5, reach=5,
                      confidence=5, effort=1)
    assert response.status_code == 403
    assert state(idea) == before


def test_the_owner_is_named_by_address_once_the_idea_is_accepted(reviewer, champion):
    idea = IdeaFactory()
    client = as_user(reviewer)
    assert 'name="sponsor"' not in client.get(f"/ideas/{idea.pk}/").content.decode()
    move(idea, "Triage", "Accepted", actor=reviewer)
    assert 'name="sponsor"' in client.get(f"/ideas/{idea.pk}/").content.decode()
    response = review(client, Idea.objects.get(pk=idea.pk), sponsor=champion.email.upper())
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).sponsor == champion
    assert "The owner was saved." in messages_after(client, response)


def test_saving_the_same_again_changes_nothing(reviewer):
    idea = IdeaFactory()
    client = as_user(reviewer)
    review(client, idea, impact=2, reach=2, confidence=2, effort=2)
    before = state(idea)
    response = review(client, idea, impact=2, reach=2, confidence=2, effort=2)
    assert state(idea) == before
    assert "Nothing was changed." in messages_after(client, response)


def test_save_and_open_the_next_idea_in_the_queue(reviewer):
    now = timezone.now()
    first, second, third = (IdeaFactory() for _ in range(3))
    for i, idea in enumerate((first, second, third)):
        Idea.objects.filter(pk=idea.pk).update(stage_entered_at=now - timedelta(days=9 - i))
    IdeaFactory(submitter=reviewer)  # one's own idea is never "next"
    client = as_user(reviewer)
    first = Idea.objects.get(pk=first.pk)
    page = client.get(f"/ideas/{first.pk}/").content.decode()
    assert f'href="/ideas/{second.pk}/" rel="next"' in page
    response = review(client, first, to_stage="Triage", then="next")
    assert response["Location"] == f"/ideas/{second.pk}/"
    # Plain save stays on the idea.
    second = Idea.objects.get(pk=second.pk)
    response = review(client, second, to_stage="Triage")
    assert response["Location"] == f"/ideas/{second.pk}/"


def test_the_idea_page_links_to_the_previous_and_next_ideas_in_the_queue(reviewer):
    older, middle, newer = IdeaFactory(), IdeaFactory(), IdeaFactory()
    for age, idea in enumerate((newer, middle, older), start=1):
        Idea.objects.filter(pk=idea.pk).update(
            stage_entered_at=timezone.now() - timedelta(days=age))
    page = as_user(reviewer).get(f"/ideas/{middle.pk}/").content.decode()
    assert f'href="/ideas/{older.pk}/" rel="prev"' in page
    assert f'href="/ideas/{newer.pk}/" rel="next"' in page
    assert "js/queue-keys.js" in page
