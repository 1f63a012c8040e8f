"""The reviewers' triage queue: waiting time in working days, overdue marking and
filtering, and assignment to oneself, to others and in bulk."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ideas import selectors
from ideas.models import Idea, Transition
from notifications.models import Notification
from shared.workdays import working_days_between
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, move, stage

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def working_days_ago(n: int, today: date | None = None) -> datetime:
    """Noon on the day from which exactly n working days have passed by today."""
    today = today or timezone.localdate()
    day = today
    while working_days_between(day, today) < n:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(12)))


def entered(idea, when):
    Idea.objects.filter(pk=idea.pk).update(stage_entered_at=when)
    idea.refresh_from_db()
    return idea


def queue_rows(client, query="") -> dict[int, str]:
    response = client.get(f"/ideas/queue/?{query}" if query else "/ideas/queue/")
    assert response.status_code == 200
    rows = {}
    for row in response.content.decode().split("<tr")[1:]:
        match = re.search(r'name="ideas" value="(\d+)"', row)
        if match:
            rows[int(match.group(1))] = row
    return rows


# --- overdue -----------------------------------------------------------------------------

def test_overdue_is_marked_against_the_stage_target_in_working_days(reviewer, employee):
    # Submitted: first triage within 2 working days.
    on_time = entered(IdeaFactory(title="On time"), working_days_ago(2))
    late = entered(IdeaFactory(title="Late", submitter=employee), working_days_ago(3))
    # In review allows 10 working days.
    reviewing = IdeaFactory(title="Reviewing")
    move(reviewing, "Triage", "In review", actor=reviewer)
    reviewing = entered(reviewing, working_days_ago(9))
    # Closed stages are never overdue (and not in the queue).
    declined = IdeaFactory(title="Declined long ago")
    move(declined, "Declined", actor=reviewer)
    entered(declined, working_days_ago(50))

    client = as_user(reviewer)
    rows = queue_rows(client)
    assert set(rows) == {on_time.pk, late.pk, reviewing.pk}
    assert 'class="is-overdue"' in rows[late.pk] and "Overdue" in rows[late.pk]
    assert "3 working days" in rows[late.pk]
    for pk in [on_time.pk, reviewing.pk]:
        assert "is-overdue" not in rows[pk] and "Overdue" not in rows[pk]
    assert "2 working days" in rows[on_time.pk] and "9 working days" in rows[reviewing.pk]
    assert "1 overdue" in client.get("/ideas/queue/").content.decode()

    assert set(queue_rows(client, "overdue=on")) == {late.pk}
    assert set(queue_rows(client, "overdue=on&sort=priority")) == {late.pk}

    # The submitter sees it too, on the idea and in "My ideas".
    mine = as_user(employee)
    assert "Overdue:" in mine.get(f"/ideas/{late.pk}/").content.decode()
    assert "(overdue)" in mine.get("/ideas/mine/").content.decode()
    assert "Overdue:" not in mine.get(f"/ideas/{on_time.pk}/").content.decode()


def test_reviewing_past_ten_working_days_is_overdue(reviewer):
    idea = IdeaFactory()
    move(idea, "Triage", "In review", actor=reviewer)
    entered(idea, working_days_ago(11))
    assert set(queue_rows(as_user(reviewer), "overdue=on")) == {idea.pk}


def test_weekends_and_holidays_do_not_count(settings, reviewer):
    settings.WEEKEND_DAYS = {5, 6}
    settings.HOLIDAYS = {"2026-03-09"}
    friday = timezone.make_aware(datetime(2026, 3, 6, 16, 0))
    idea = entered(IdeaFactory(), friday)
    # Monday is a holiday, Tuesday is the 1st working day, Wednesday the 2nd.
    assert selectors.waiting(idea, date(2026, 3, 10)) == {
        "days": 1, "due": date(2026, 3, 11), "overdue": False}
    assert selectors.waiting(idea, date(2026, 3, 11))["overdue"] is False
    assert selectors.waiting(idea, date(2026, 3, 12)) == {
        "days": 3, "due": date(2026, 3, 11), "overdue": True}
    overdue = Idea.objects.filter(selectors.overdue_q(date(2026, 3, 11)))
    assert not overdue.exists()
    overdue = Idea.objects.filter(selectors.overdue_q(date(2026, 3, 12)))
    assert list(overdue) == [idea]


def test_queue_is_oldest_first_and_filters(reviewer, programme_admin):
    old = entered(IdeaFactory(title="Old"), working_days_ago(5))
    new = IdeaFactory(title="New", assignee=reviewer)
    middle = entered(IdeaFactory(title="Middle", assignee=programme_admin), working_days_ago(1))
    client = as_user(reviewer)
    assert list(queue_rows(client)) == [old.pk, middle.pk, new.pk]
    assert list(queue_rows(client, "sort=oldest")) == [old.pk, middle.pk, new.pk]
    assert set(queue_rows(client, "assignee=me")) == {new.pk}
    assert set(queue_rows(client, "assignee=none")) == {old.pk}
    assert set(queue_rows(client, f"assignee={programme_admin.pk}")) == {middle.pk}


# --- assignment --------------------------------------------------------------------------

def test_assign_to_self(reviewer):
    idea = IdeaFactory()
    client = as_user(reviewer)
    response = client.post(f"/ideas/{idea.pk}/assign/", {"assignee": reviewer.pk})
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).assignee == reviewer
    assert not Notification.objects.exists()  # nobody is told what they did themselves
    assert "Rui Reviewer" in queue_rows(client)[idea.pk]
    # And back to nobody.
    client.post(f"/ideas/{idea.pk}/assign/", {"assignee": ""})
    assert Idea.objects.get(pk=idea.pk).assignee is None


def test_bulk_assignment_from_the_queue(reviewer, programme_admin,
                                        django_capture_on_commit_callbacks, mailoutbox):
    a, b, c = IdeaFactory(), IdeaFactory(), IdeaFactory()
    client = as_user(programme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ideas/queue/?overdue=", {"ideas": [a.pk, b.pk],
                                                          "assignee": reviewer.pk}, follow=True)
    assert response.status_code == 200
    assert "2 idea(s) assigned." in [str(m) for m in response.context["messages"]]
    assert set(Idea.objects.filter(assignee=reviewer)) == {a, b}
    assert Idea.objects.get(pk=c.pk).assignee is None
    told = Notification.objects.get(recipient=reviewer)
    assert told.title == "2 idea(s) assigned to you for review"
    assert [m.to for m in mailoutbox] == [[reviewer.email]]
    assert set(queue_rows(as_user(reviewer), "assignee=me")) == {a.pk, b.pk}


@pytest.mark.parametrize("who", ["employee", "champion"])
def test_assigning_to_a_non_reviewer_is_refused(who, request, reviewer):
    person = request.getfixturevalue(who)
    a, b = IdeaFactory(assignee=reviewer), IdeaFactory()
    client = as_user(reviewer)
    response = client.post("/ideas/queue/", {"ideas": [a.pk, b.pk], "assignee": person.pk},
                           follow=True)
    assert "Select ideas and a reviewer" in " ".join(str(m) for m in
                                                     response.context["messages"])
    response = client.post(f"/ideas/{b.pk}/assign/", {"assignee": person.pk}, follow=True)
    assert "Choose a reviewer." in " ".join(str(m) for m in response.context["messages"])
    assert Idea.objects.get(pk=a.pk).assignee == reviewer
    assert Idea.objects.get(pk=b.pk).assignee is None
    assert not Notification.objects.exists()


def test_only_queued_ideas_can_be_bulk_assigned(reviewer, programme_admin):
    declined = IdeaFactory()
    move(declined, "Declined", actor=programme_admin)
    draft = IdeaFactory(status=Idea.Status.DRAFT)
    waiting = IdeaFactory()
    client = as_user(programme_admin)
    for ideas in [[declined.pk], [draft.pk], [waiting.pk, draft.pk], [], ["abc"]]:
        client.post("/ideas/queue/", {"ideas": ideas, "assignee": reviewer.pk})
    assert not Idea.objects.filter(assignee__isnull=False).exists()


def test_employees_cannot_bulk_assign(employee, reviewer):
    idea = IdeaFactory()
    response = as_user(employee).post("/ideas/queue/", {"ideas": [idea.pk],
                                                        "assignee": reviewer.pk})
    assert response.status_code == 403
    assert Idea.objects.get(pk=idea.pk).assignee is None


def test_inactive_reviewers_cannot_be_assigned(reviewer):
    from people import roles

    gone = UserFactory(roles=[roles.REVIEWER], is_active=False)
    idea = IdeaFactory()
    as_user(reviewer).post("/ideas/queue/", {"ideas": [idea.pk], "assignee": gone.pk})
    assert Idea.objects.get(pk=idea.pk).assignee is None


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_bulk_decide_moves_what_may_move_and_reports_the_rest(
        reviewer, programme_admin, django_capture_on_commit_callbacks, mailoutbox):
    a, b, already = IdeaFactory(title="Callback"), IdeaFactory(title="SMS"), IdeaFactory(
        title="Plain letters")
    move(already, "Triage", actor=programme_admin)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(reviewer).post(
            "/ideas/queue/?overdue=",
            {"action": "move", "ideas": [a.pk, b.pk, already.pk],
             "to_stage": stage("Triage").pk, "reason": "Worth a look"}, follow=True)
    assert response.status_code == 200
    said = _messages(response)
    assert "2 ideas moved to “Triage”; their submitters and followers are told." in said
    assert "“Plain letters” was not moved: An idea cannot move from “Triage” to “Triage”." \
        in said
    assert {i.stage.name_en for i in Idea.objects.filter(pk__in=[a.pk, b.pk])} == {"Triage"}
    assert Transition.objects.filter(idea=already).count() == 1
    # One decision e-mail per moved idea, to its submitter.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.submitter.email, b.submitter.email])


def test_bulk_decide_needs_a_reason_where_the_stage_does(reviewer):
    a, b = IdeaFactory(), IdeaFactory()
    response = as_user(reviewer).post(
        "/ideas/queue/", {"action": "move", "ideas": [a.pk, b.pk],
                          "to_stage": stage("Declined").pk}, follow=True)
    assert all("Give a reason" in m for m in _messages(response)[-2:])
    assert not Transition.objects.filter(idea__in=[a, b]).exclude(from_stage=None).exists()
    assert {i.stage.name_en for i in Idea.objects.filter(pk__in=[a.pk, b.pk])} == {"Submitted"}


@pytest.mark.parametrize("data, said", [
    ({"ideas": ["abc"]}, "Choose the stage"),
    ({"to_stage": "Triage"}, "Select the ideas to move."),
    ({"ideas": ["99999999"], "to_stage": "{triage}"}, "Select a valid choice"),
    ({"ideas": ["{own}"], "to_stage": "{triage}"}, "Select a valid choice"),
    ({"ideas": ["{waiting}"], "to_stage": "{duplicate}"}, "Select a valid choice"),
    ({"ideas": ["{waiting}"], "to_stage": "{triage}", "reason": "x" * 5001},
     "at most 5000 characters"),
])
def test_bulk_decide_refuses_bad_input_and_changes_nothing(reviewer, data, said):
    own, waiting = IdeaFactory(submitter=reviewer), IdeaFactory()
    ids = {"{own}": own.pk, "{waiting}": waiting.pk, "{triage}": stage("Triage").pk,
           "{duplicate}": stage("Duplicate").pk}

    def value(v):
        return [ids.get(x, x) for x in v] if isinstance(v, list) else ids.get(v, v)

    response = as_user(reviewer).post(
        "/ideas/queue/", {"action": "move", **{k: value(v) for k, v in data.items()}},
        follow=True)
    assert response.status_code == 200
    assert any(said in m for m in _messages(response)), _messages(response)
    assert not Transition.objects.exclude(from_stage=None).exists()


def test_bulk_decide_caps_the_selection(reviewer):
    ideas = IdeaFactory.create_batch(3)
    from ideas.forms import BulkDecideForm

    form = BulkDecideForm({"ideas": [i.pk for i in ideas], "to_stage": stage("Triage").pk},
                          ideas_qs=Idea.objects.all())
    form.MAX_IDEAS = 2
    assert not form.is_valid()
    assert "at most 2 ideas" in str(form.errors["ideas"])


def test_employees_cannot_bulk_decide(employee):
    idea = IdeaFactory()
    response = as_user(employee).post("/ideas/queue/", {
        "action": "move", "ideas": [idea.pk], "to_stage": stage("Triage").pk})
    assert response.status_code == 403
    assert Idea.objects.get(pk=idea.pk).stage.name_en == "Submitted"


def test_the_bulk_forms_share_one_form_without_browser_required_fields(reviewer):
    """The queue has one <form> for assigning and moving: a `required` stage select
    would stop the browser from sending "Assign selected" (found by the e2e journey)."""
    IdeaFactory()
    page = as_user(reviewer).get("/ideas/queue/").content.decode()
    select = re.search(r'<select name="to_stage"[^>]*>', page).group(0)
    assert "required" not in select
