"""Moving ideas through the pipeline: allowed edges, reasons, stale decisions, history,
withdrawal, duplicates, and the notifications that close the loop."""

import pytest
from django.test import Client

import notifications.tasks
from ideas.models import Follow, Idea, Support, Transition
from notifications.models import Notification
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, move, stage

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def decide(client, idea, to, reason="", expected=None, **extra):
    data = {"to_stage": stage(to).pk, "reason": reason,
            "expected_stage": stage(expected).pk if expected else idea.stage_id, **extra}
    return client.post(f"/ideas/{idea.pk}/decide/", data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_only_allowed_edges(reviewer):
    idea = IdeaFactory()
    response = decide(as_user(reviewer), idea, "Implemented", reason="Done already")
    assert response.status_code == 200
    text = " ".join(messages_of(response))
    assert "cannot move from “Submitted” to “Implemented”" in text
    idea.refresh_from_db()
    assert idea.stage.name == "Submitted" and idea.decided_at is None
    assert not Transition.objects.filter(idea=idea).exists()
    assert not Notification.objects.exists()


def test_allowed_edge_moves_the_idea(reviewer):
    idea = IdeaFactory()
    response = decide(as_user(reviewer), idea, "Triage")
    assert "Moved to Triage" in " ".join(messages_of(response))
    assert Idea.objects.get(pk=idea.pk).stage.name == "Triage"


@pytest.mark.parametrize("outcome", ["Declined", "Duplicate", "Parked"])
def test_reason_required_for_outcomes(outcome, reviewer):
    idea = IdeaFactory()
    original = IdeaFactory()
    response = decide(as_user(reviewer), idea, outcome, reason="   ",
                      duplicate_of=original.pk)
    assert "Give a reason" in " ".join(messages_of(response))
    idea.refresh_from_db()
    assert idea.stage.name == "Submitted" and idea.duplicate_of is None
    assert not Transition.objects.filter(idea=idea).exists()


def test_stale_decision_is_refused_and_the_second_reviewer_is_told(reviewer, programme_admin):
    idea = IdeaFactory()
    first, second = as_user(reviewer), as_user(programme_admin)
    # Both opened the page while the idea was in Submitted.
    assert "Save review" in first.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Save review" in second.get(f"/ideas/{idea.pk}/").content.decode()
    decide(first, idea, "Triage", expected="Submitted")
    # The second reviewer chose the same next step from the same page.
    response = decide(second, idea, "Triage", reason="Me too", expected="Submitted")
    assert "Someone else moved this idea to “Triage”" in " ".join(messages_of(response))
    # ... or a different one that would be allowed now.
    response = decide(second, idea, "Declined", reason="No budget", expected="Submitted")
    assert "Someone else moved this idea" in " ".join(messages_of(response))
    idea.refresh_from_db()
    assert idea.stage.name == "Triage"
    assert list(Transition.objects.filter(idea=idea).values_list("actor", "to_stage__name")) == [
        (reviewer.pk, "Triage")]


def test_full_history_is_recorded_and_shown(employee, reviewer, programme_admin):
    idea = IdeaFactory(submitter=employee)
    client = as_user(reviewer)
    decide(client, idea, "Triage", reason="Looks promising")
    decide(as_user(programme_admin), idea, "Parked", reason="Waiting for the new phone system",
           expected="Triage")
    decide(client, idea, "In review", reason="Phone system arrived", expected="Parked")
    rows = list(Transition.objects.filter(idea=idea).values_list(
        "actor__display_name", "from_stage__name", "to_stage__name", "reason"))
    assert rows == [
        ("Rui Reviewer", "Submitted", "Triage", "Looks promising"),
        ("Ada Admin", "Triage", "Parked", "Waiting for the new phone system"),
        ("Rui Reviewer", "Parked", "In review", "Phone system arrived"),
    ]
    page = as_user(employee).get(f"/ideas/{idea.pk}/").content.decode()
    for text in ["Rui Reviewer moved it from Submitted to Triage", "Looks promising",
                 "Ada Admin moved it from Triage to Parked", "Waiting for the new phone system",
                 "Rui Reviewer moved it from Parked to In review", "Phone system arrived"]:
        assert text in page
    assert page.index("Looks promising") < page.index("Waiting for the new") < page.index(
        "Phone system arrived")


def test_submission_is_the_first_history_entry(employee_client, employee):
    from tests.ideas.factories import CustomerSegmentFactory, idea_form_data

    response = employee_client.post("/ideas/new/", idea_form_data(CustomerSegmentFactory()))
    assert response.status_code == 302
    idea = Idea.objects.get()
    first = Transition.objects.get(idea=idea)
    assert (first.from_stage, first.to_stage.name, first.actor) == (None, "Submitted", employee)
    page = employee_client.get(response["Location"]).content.decode()
    assert "Erin Employee submitted it" in page and "Submitted (Submitted)" not in page


def test_first_decided_at_is_set_once(reviewer):
    idea = IdeaFactory()
    move(idea, "Triage", actor=reviewer)
    assert idea.first_decided_at is None and idea.decided_at is None
    move(idea, "Accepted", actor=reviewer)
    first = idea.first_decided_at
    assert first is not None and idea.decided_at == first
    move(idea, "In progress", "Implemented", actor=reviewer)
    assert idea.first_decided_at == first
    assert idea.decided_at > first


def test_withdraw_own_idea_while_undecided(employee, employee_client, reviewer):
    idea = IdeaFactory(submitter=employee)
    move(idea, "Triage", actor=reviewer)
    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Withdraw idea" in page
    response = employee_client.post(f"/ideas/{idea.pk}/withdraw/")
    assert response.status_code == 302 and response["Location"] == "/ideas/mine/"
    idea.refresh_from_db()
    assert idea.status == Idea.Status.WITHDRAWN and idea.withdrawn_at is not None
    assert "Withdrawn" in employee_client.get("/ideas/mine/").content.decode()
    assert idea.title not in employee_client.get("/ideas/").content.decode()


def test_cannot_withdraw_a_decided_idea(employee, employee_client, reviewer):
    idea = IdeaFactory(submitter=employee)
    move(idea, "Triage", "Accepted", actor=reviewer)
    assert "Withdraw idea" not in employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    assert employee_client.post(f"/ideas/{idea.pk}/withdraw/").status_code == 403
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.SUBMITTED


def test_cannot_withdraw_someone_elses_idea(employee_client, reviewer):
    idea = IdeaFactory()
    assert employee_client.post(f"/ideas/{idea.pk}/withdraw/").status_code == 403
    assert as_user(reviewer).post(f"/ideas/{idea.pk}/withdraw/").status_code == 403
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.SUBMITTED


def test_duplicate_moves_supporters_and_followers_without_double_counting(
        reviewer, mailoutbox, django_capture_on_commit_callbacks):
    original = IdeaFactory(title="Original: call-back queue")
    duplicate = IdeaFactory(title="Copy: call me back")
    both, only_dup, follower = UserFactory(), UserFactory(), UserFactory()
    Support.objects.create(idea=original, user=both)
    Support.objects.create(idea=duplicate, user=both)
    Support.objects.create(idea=duplicate, user=only_dup)
    # The original's submitter supported the copy: they cannot support their own idea.
    Support.objects.create(idea=duplicate, user=original.submitter)
    Idea.objects.filter(pk=original.pk).update(support_count=1)
    Idea.objects.filter(pk=duplicate.pk).update(support_count=3)
    Follow.objects.create(idea=duplicate, user=follower)
    Follow.objects.create(idea=duplicate, user=both)
    Follow.objects.create(idea=original, user=both)
    duplicate.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(as_user(reviewer), duplicate, "Duplicate", reason="Same as the other",
                          duplicate_of=original.pk)
    assert "Moved to Duplicate" in " ".join(messages_of(response))
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.stage.name == "Duplicate"
    assert set(original.supports.values_list("user", flat=True)) == {both.pk, only_dup.pk}
    assert original.support_count == 2
    assert duplicate.support_count == 0 and not duplicate.supports.exists()
    assert set(original.follows.values_list("user", flat=True)) == {both.pk, follower.pk}
    assert Follow.objects.filter(idea=original, user=both).count() == 1

    told = Notification.objects.get(recipient=duplicate.submitter)
    assert "Original: call-back queue" in told.body and "Same as the other" in told.body
    mail = [m for m in mailoutbox if m.to == [duplicate.submitter.email]]
    assert len(mail) == 1 and "Original: call-back queue" in mail[0].body
    page = as_user(duplicate.submitter).get(f"/ideas/{duplicate.pk}/").content.decode()
    assert f'href="/ideas/{original.pk}/"' in page


def test_duplicate_needs_a_visible_original(reviewer):
    idea = IdeaFactory()
    response = decide(as_user(reviewer), idea, "Duplicate", reason="Seen it",
                      duplicate_of=idea.pk)
    assert "another submitted idea" in " ".join(messages_of(response))
    response = decide(as_user(reviewer), idea, "Duplicate", reason="Seen it",
                      duplicate_of=999999)
    assert "no idea with that number" in " ".join(messages_of(response))
    draft = IdeaFactory(status=Idea.Status.DRAFT)
    response = decide(as_user(reviewer), idea, "Duplicate", reason="Seen it",
                      duplicate_of=draft.pk)
    assert "no idea with that number" in " ".join(messages_of(response))
    assert Idea.objects.get(pk=idea.pk).stage.name == "Submitted"


def test_decision_notifies_submitter_and_followers_exactly_once(
        reviewer, mailoutbox, django_capture_on_commit_callbacks):
    idea = IdeaFactory(title="Shorter hold times")
    followers = UserFactory.create_batch(2)
    for person in [idea.submitter, *followers]:
        Follow.objects.create(idea=idea, user=person)
    Follow.objects.create(idea=idea, user=reviewer)  # the actor is not told of their own act
    with django_capture_on_commit_callbacks(execute=True):
        decide(as_user(reviewer), idea, "Declined", reason="Not this year, sorry")
    people = [idea.submitter, *followers]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    for message in mailoutbox:
        assert "Declined" in message.subject and "Not this year, sorry" in message.body
    rows = Notification.objects.filter(verb="ideas.decision")
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(p.pk for p in people)
    assert set(rows.values_list("email_status", flat=True)) == {"sent"}
    assert all(n.link == f"/ideas/{idea.pk}/" for n in rows)


def test_decision_survives_a_broker_outage_and_is_sent_later_exactly_once(
        reviewer, mailoutbox, monkeypatch, django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    follower = UserFactory()
    Follow.objects.create(idea=idea, user=follower)

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(notifications.tasks.send_notification_email, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(as_user(reviewer), idea, "Declined", reason="Out of scope")
    assert response.status_code == 200
    assert Idea.objects.get(pk=idea.pk).stage.name == "Declined"
    assert Transition.objects.get(idea=idea).reason == "Out of scope"
    rows = Notification.objects.filter(verb="ideas.decision")
    assert rows.count() == 2
    assert set(rows.values_list("email_status", flat=True)) == {"pending"}
    assert mailoutbox == []

    monkeypatch.undo()
    assert notifications.tasks.send_pending_notification_emails() == 2
    assert notifications.tasks.send_pending_notification_emails() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted([idea.submitter.email, follower.email])
    assert set(rows.values_list("email_status", flat=True)) == {"sent"}
