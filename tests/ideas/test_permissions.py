"""Who may see and do what: anonymous, employee, champion, reviewer and programme
admin against every URL of the ideas app, with confidential ideas, drafts and
internal notes in the mix."""

import csv
import io

import pytest
from django.test import Client

from ideas.models import Comment, Follow, Idea, InternalNote, Score, Support, Transition
from notifications.models import Notification
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, add_attachment, answer_questions, move, stage

pytestmark = pytest.mark.django_db

ROLES = ["employee", "champion", "reviewer", "programme_admin"]
NON_REVIEWERS = ["employee", "champion"]
REVIEWERS = ["reviewer", "programme_admin"]


@pytest.fixture
def author(db):
    return UserFactory(display_name="Aroon Author")


@pytest.fixture
def world(author):
    """Ideas by someone else than the person acting in the test."""
    public = IdeaFactory(submitter=author, title="Public hold music idea")
    secret = IdeaFactory(submitter=author, title="Zebracorn confidential pricing",
                         problem="Zebracorn customers pay twice.", confidential=True)
    draft = IdeaFactory(submitter=author, title="Unfinished draft about queues",
                        status=Idea.Status.DRAFT)
    comment = Comment.objects.create(idea=public, author=author, body="First comment")
    return {
        "public": public, "secret": secret, "draft": draft, "comment": comment,
        "attachment": add_attachment(public),
        "secret_attachment": add_attachment(secret, name="secret.png"),
        "draft_attachment": add_attachment(draft, name="draft.png"),
    }


def login(role, request):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    return client


def urls(world):
    p, c = world["public"].pk, world["comment"].pk
    get = [
        "/ideas/", "/ideas/export.csv", "/ideas/new/", "/ideas/similar/?title=hold+music",
        "/ideas/mine/", "/ideas/queue/", f"/ideas/{p}/", f"/ideas/{p}/edit/",
        f"/ideas/comments/{c}/edit/", f"/ideas/attachments/{world['attachment'].pk}/",
    ]
    post = [f"/ideas/{p}/{action}/" for action in [
        "edit", "submit", "withdraw", "support", "follow", "comments", "notes", "decide",
        "score", "assign", "sponsor"]] + [
        f"/ideas/comments/{c}/edit/", f"/ideas/comments/{c}/delete/",
        f"/ideas/comments/{c}/hide/", "/ideas/new/", "/ideas/queue/",
    ]
    return get, post


def snapshot():
    return (Idea.objects.count(), Transition.objects.count(), Support.objects.count(),
            Follow.objects.count(), Comment.objects.count(), InternalNote.objects.count(),
            Score.objects.count(), Comment.objects.filter(hidden_at__isnull=False).count(),
            list(Idea.objects.order_by("pk").values_list("stage_id", "status", "assignee_id",
                                                         "sponsor_id")))


# --- anonymous ----------------------------------------------------------------------------

def test_anonymous_is_sent_to_login_from_every_url(world):
    anonymous = Client()
    get, post = urls(world)
    before = snapshot()
    for url in get:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    for url in post:
        response = anonymous.post(url, {"to_stage": stage("Triage").pk, "body": "x",
                                         "reason": "x", "expected_stage": stage("Submitted").pk,
                                         "impact": 5, "reach": 5, "confidence": 5, "effort": 1})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert snapshot() == before


# --- pages everybody signed in may open ------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_signed_in_people_open_the_shared_pages(role, request, world):
    client = login(role, request)
    p = world["public"].pk
    for url in ["/ideas/", "/ideas/export.csv", "/ideas/new/",
                "/ideas/similar/?title=hold+music", "/ideas/mine/", f"/ideas/{p}/",
                f"/ideas/attachments/{world['attachment'].pk}/"]:
        assert client.get(url).status_code == 200, (role, url)


@pytest.mark.parametrize("role,status", [("employee", 403), ("champion", 403),
                                         ("reviewer", 200), ("programme_admin", 200)])
def test_only_reviewers_reach_the_queue(role, status, request, world):
    client = login(role, request)
    assert client.get("/ideas/queue/").status_code == status
    before = snapshot()
    response = client.post("/ideas/queue/", {"ideas": [world["public"].pk],
                                              "assignee": request.getfixturevalue(role).pk})
    if status == 403:
        assert response.status_code == 403
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_nobody_edits_someone_elses_idea_or_comment(role, request, world):
    client = login(role, request)
    p, c = world["public"].pk, world["comment"].pk
    assert client.get(f"/ideas/{p}/edit/").status_code == 403
    assert client.get(f"/ideas/{world['draft'].pk}/edit/").status_code == 404
    assert client.get(f"/ideas/comments/{c}/edit/").status_code == 403
    before = snapshot()
    assert client.post(f"/ideas/{p}/edit/", {"title": "Hijacked"}).status_code == 403
    assert client.post(f"/ideas/{p}/submit/").status_code == 403
    assert client.post(f"/ideas/{p}/withdraw/").status_code == 403
    assert client.post(f"/ideas/comments/{c}/edit/", {"body": "Hijacked"}).status_code == 403
    assert client.post(f"/ideas/comments/{c}/delete/").status_code == 403
    assert snapshot() == before
    assert Comment.objects.get(pk=c).body == "First comment"
    assert Idea.objects.get(pk=p).title == "Public hold music idea"


@pytest.mark.parametrize("role", ROLES)
def test_post_only_actions_refuse_get(role, request, world):
    client = login(role, request)
    p, c = world["public"].pk, world["comment"].pk
    for url in [f"/ideas/{p}/decide/", f"/ideas/{p}/score/", f"/ideas/{p}/support/",
                f"/ideas/{p}/withdraw/", f"/ideas/comments/{c}/hide/"]:
        assert client.get(url).status_code == 405, url


# --- reviewer actions ------------------------------------------------------------------------

def decide_data(to="Triage", reason="Worth a look", expected="Submitted"):
    return {"to_stage": stage(to).pk, "reason": reason, "expected_stage": stage(expected).pk}


@pytest.mark.parametrize("role", NON_REVIEWERS)
def test_employees_cannot_use_reviewer_actions(role, request, world, reviewer):
    client = login(role, request)
    p, c = world["public"].pk, world["comment"].pk
    person = request.getfixturevalue(role)
    before = snapshot()
    attempts = {
        f"/ideas/{p}/decide/": decide_data(),
        f"/ideas/{p}/score/": {"impact": 5, "reach": 5, "confidence": 5, "effort": 1},
        f"/ideas/{p}/assign/": {"assignee": reviewer.pk},
        f"/ideas/{p}/sponsor/": {"sponsor": person.pk},
        f"/ideas/{p}/notes/": {"body": "Employees' private note"},
        f"/ideas/{p}/review/": {"note": "Employees' private note", "impact": 5, "reach": 5,
                                "confidence": 5, "effort": 1, "assignee": reviewer.pk},
        f"/ideas/comments/{c}/hide/": {"reason": "Off topic"},
    }
    for url, data in attempts.items():
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before
    # A page that never shows the reviewer forms either.
    page = client.get(f"/ideas/{p}/").content.decode()
    assert "Save review" not in page and "Internal notes" not in page
    assert "Your scores" not in page


@pytest.mark.parametrize("role", NON_REVIEWERS)
def test_employees_cannot_sponsor_an_accepted_idea(role, request, world, reviewer):
    idea = move(world["public"], "Triage", "Accepted", actor=reviewer)
    person = request.getfixturevalue(role)
    response = login(role, request).post(f"/ideas/{idea.pk}/sponsor/", {"sponsor": person.pk})
    assert response.status_code == 403
    assert Idea.objects.get(pk=idea.pk).sponsor is None


@pytest.mark.parametrize("role", REVIEWERS)
def test_reviewers_use_reviewer_actions(role, request, world, reviewer, champion):
    client = login(role, request)
    person = request.getfixturevalue(role)
    idea, c = world["public"], world["comment"]
    assert "Save review" in client.get(f"/ideas/{idea.pk}/").content.decode()
    assert client.post(f"/ideas/{idea.pk}/decide/", decide_data()).status_code == 302
    answer_questions(idea)
    client.post(f"/ideas/{idea.pk}/decide/", decide_data("Accepted", expected="Triage"))
    assert Idea.objects.get(pk=idea.pk).stage.name == "Accepted"
    client.post(f"/ideas/{idea.pk}/score/", {"impact": 4, "reach": 3, "confidence": 2,
                                            "effort": 2})
    assert Score.objects.get(idea=idea, reviewer=person).priority == 12
    client.post(f"/ideas/{idea.pk}/assign/", {"assignee": reviewer.pk})
    client.post(f"/ideas/{idea.pk}/sponsor/", {"sponsor": champion.pk})
    client.post(f"/ideas/{idea.pk}/notes/", {"body": "Ask finance first"})
    client.post(f"/ideas/comments/{c.pk}/hide/", {"reason": "Personal data"})
    idea.refresh_from_db()
    assert idea.assignee == reviewer and idea.sponsor == champion
    assert idea.priority_score == 12
    assert InternalNote.objects.get(idea=idea).body == "Ask finance first"
    assert Comment.objects.get(pk=c.pk).hidden_reason == "Personal data"


@pytest.mark.parametrize("role", REVIEWERS)
def test_nobody_decides_or_scores_their_own_idea(role, request):
    person = request.getfixturevalue(role)
    idea = IdeaFactory(submitter=person)
    client = login(role, request)
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Save review" not in page and "Your scores" not in page
    assert client.post(f"/ideas/{idea.pk}/decide/", decide_data()).status_code == 403
    assert client.post(f"/ideas/{idea.pk}/score/", {"impact": 5, "reach": 5, "confidence": 5,
                                                   "effort": 1}).status_code == 403
    idea.refresh_from_db()
    assert idea.stage.name == "Submitted" and idea.priority_score is None
    assert Transition.objects.filter(idea=idea).count() == 0
    assert not Score.objects.exists()


# --- confidential ideas ----------------------------------------------------------------------

def csv_titles(response) -> list[str]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    return [row[1] for row in rows[1:]]


@pytest.mark.parametrize("role", NON_REVIEWERS)
def test_confidential_ideas_are_invisible_to_other_employees(role, request, world):
    client = login(role, request)
    secret = world["secret"]
    assert client.get(f"/ideas/{secret.pk}/").status_code == 404
    assert client.get(f"/ideas/attachments/{world['secret_attachment'].pk}/").status_code == 404
    assert "Zebracorn" not in client.get("/ideas/").content.decode()
    search = client.get("/ideas/?q=zebracorn")
    assert search.status_code == 200 and "Zebracorn" not in search.content.decode()
    assert "Zebracorn" not in client.get("/ideas/queue/").content.decode()
    export = client.get("/ideas/export.csv")
    assert "Public hold music idea" in csv_titles(export)
    assert "Zebracorn confidential pricing" not in csv_titles(export)
    assert "Zebracorn" not in csv_titles(client.get("/ideas/export.csv?q=zebracorn"))
    similar = client.get("/ideas/similar/?title=Zebracorn+pricing").content.decode()
    assert "Zebracorn" not in similar
    before = snapshot()
    for action in ["support", "follow", "comments", "decide", "withdraw", "edit"]:
        assert client.post(f"/ideas/{secret.pk}/{action}/", {"body": "hi"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("role", REVIEWERS)
def test_reviewers_and_admins_see_confidential_ideas(role, request, world):
    client = login(role, request)
    secret = world["secret"]
    assert client.get(f"/ideas/{secret.pk}/").status_code == 200
    assert client.get(f"/ideas/attachments/{world['secret_attachment'].pk}/").status_code == 200
    assert "Zebracorn" in client.get("/ideas/?q=zebracorn").content.decode()
    assert "Zebracorn confidential pricing" in csv_titles(client.get("/ideas/export.csv"))
    assert "Zebracorn" in client.get("/ideas/queue/").content.decode()


def test_the_submitter_sees_their_own_confidential_idea(world, author):
    client = Client()
    client.force_login(author)
    secret = world["secret"]
    assert client.get(f"/ideas/{secret.pk}/").status_code == 200
    assert "Zebracorn" in client.get("/ideas/?q=zebracorn").content.decode()
    assert "Zebracorn" in client.get("/ideas/mine/").content.decode()
    assert client.get(f"/ideas/attachments/{world['secret_attachment'].pk}/").status_code == 200


def test_confidential_decisions_reach_only_followers_who_may_see_them(
        world, author, employee, champion, reviewer, programme_admin, mailoutbox,
        django_capture_on_commit_callbacks):
    secret = world["secret"]
    for person in [employee, champion, programme_admin]:
        Follow.objects.create(idea=secret, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        move(secret, "Triage", actor=reviewer)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {author.username, programme_admin.username}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([author.email, programme_admin.email])


# --- internal notes and drafts ---------------------------------------------------------------

def test_internal_notes_are_never_shown_to_employees(world, author, employee, champion,
                                                      reviewer):
    idea = world["public"]
    InternalNote.objects.create(idea=idea, author=reviewer, body="Budget owner says no")
    for person in [author, employee, champion]:
        client = Client()
        client.force_login(person)
        page = client.get(f"/ideas/{idea.pk}/").content.decode()
        assert "Budget owner says no" not in page and "Internal notes" not in page
    client = Client()
    client.force_login(reviewer)
    assert "Budget owner says no" in client.get(f"/ideas/{idea.pk}/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_visible_only_to_their_submitter(role, request, world, author):
    client = login(role, request)
    draft = world["draft"]
    assert client.get(f"/ideas/{draft.pk}/").status_code == 404
    assert client.get(f"/ideas/attachments/{world['draft_attachment'].pk}/").status_code == 404
    assert "Unfinished draft" not in client.get("/ideas/?q=unfinished").content.decode()
    assert "Unfinished draft" not in client.get("/ideas/similar/?title=unfinished+draft"
                                                ).content.decode()
    assert "Unfinished draft" not in client.get("/ideas/queue/").content.decode()
    assert "Unfinished draft" not in client.get("/ideas/export.csv").getvalue().decode()

    mine = Client()
    mine.force_login(author)
    assert mine.get(f"/ideas/{draft.pk}/").status_code == 200
    assert mine.get(f"/ideas/{draft.pk}/edit/").status_code == 200
    assert "Unfinished draft" in mine.get("/ideas/mine/").content.decode()


def test_my_ideas_lists_only_my_own(world, employee, employee_client):
    IdeaFactory(submitter=employee, title="Erin's own idea")
    page = employee_client.get("/ideas/mine/").content.decode()
    assert "Erin&#x27;s own idea" in page
    assert "Public hold music idea" not in page and "Zebracorn" not in page


def test_a_confidential_idea_gets_no_owner_who_cannot_see_it(world, reviewer, champion,
                                                              programme_admin):
    secret = move(world["secret"], "Triage", "Accepted", actor=reviewer)
    client = Client()
    client.force_login(reviewer)
    response = client.post(f"/ideas/{secret.pk}/sponsor/", {"sponsor": champion.pk},
                           follow=True)
    assert "cannot see this confidential idea" in " ".join(
        str(m) for m in response.context["messages"])
    assert Idea.objects.get(pk=secret.pk).sponsor is None
    assert not Notification.objects.filter(recipient=champion).exists()
    client.post(f"/ideas/{secret.pk}/sponsor/", {"sponsor": programme_admin.pk})
    assert Idea.objects.get(pk=secret.pk).sponsor == programme_admin


def test_a_public_idea_is_not_marked_a_duplicate_of_a_confidential_one(
        world, author, employee, reviewer, django_capture_on_commit_callbacks, mailoutbox):
    copy = IdeaFactory(submitter=employee, title="Public copy")
    client = Client()
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ideas/{copy.pk}/decide/", {
            **decide_data("Duplicate", reason="Same thing"), "duplicate_of": world["secret"].pk,
        }, follow=True)
    assert "The original is confidential" in " ".join(
        str(m) for m in response.context["messages"])
    copy.refresh_from_db()
    assert copy.duplicate_of is None and copy.stage.name == "Submitted"
    assert mailoutbox == [] and not Notification.objects.exists()
    mine = Client()
    mine.force_login(employee)
    assert "Zebracorn" not in mine.get(f"/ideas/{copy.pk}/").content.decode()

    # A confidential idea by the same submitter may point at it.
    own_copy = IdeaFactory(submitter=author, confidential=True, title="Own copy")
    client.post(f"/ideas/{own_copy.pk}/decide/", {
        **decide_data("Duplicate", reason="Same thing"), "duplicate_of": world["secret"].pk})
    assert Idea.objects.get(pk=own_copy.pk).duplicate_of == world["secret"]


def test_the_viewable_ideas_query_agrees_with_can_view(author, employee, champion, reviewer,
                                                       programme_admin):
    """The admin's site history and tag suggestions filter with this one query; it must
    answer exactly what permissions.can_view answers idea by idea."""
    from ideas import permissions, selectors

    ideas = [IdeaFactory(submitter=author, title="Public"),
             IdeaFactory(submitter=author, confidential=True),
             IdeaFactory(submitter=author, status=Idea.Status.DRAFT),
             IdeaFactory(submitter=author, status=Idea.Status.WITHDRAWN),
             IdeaFactory(submitter=reviewer, status=Idea.Status.DRAFT, confidential=True)]
    for user in (author, employee, champion, reviewer, programme_admin):
        expected = {i.pk for i in ideas if permissions.can_view(user, i)}
        assert set(selectors.viewable_ideas(user).filter(
            pk__in=[i.pk for i in ideas]).values_list("pk", flat=True)) == expected, user
