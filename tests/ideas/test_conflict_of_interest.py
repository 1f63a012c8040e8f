"""Nobody reviews their own idea: a reviewer or programme admin who submitted an idea
is its submitter there, for every review action, not only for deciding."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ideas import permissions, selectors, services
from ideas.models import Comment, Idea, InternalNote, Score
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db

REVIEW_ROLES = ["reviewer", "programme_admin"]


@pytest.fixture(params=REVIEW_ROLES)
def own(request):
    """An idea submitted by a person with a review role, with the review work of
    another reviewer on it and a critical comment."""
    author = request.getfixturevalue(request.param)
    colleague = UserFactory(display_name="Cam Colleague", roles=["Reviewer"])
    idea = IdeaFactory(submitter=author, title="My own hold music idea")
    note = InternalNote.objects.create(idea=idea, author=colleague,
                                       body="PRIVATE-NOTE: costs more than it says")
    Score.objects.create(idea=idea, reviewer=colleague, impact=1, reach=2, confidence=3,
                         effort=4)
    comment = Comment.objects.create(idea=idea, author=UserFactory(),
                                     body="This would annoy customers on hold.")
    client = Client()
    client.force_login(author)
    return {"author": author, "colleague": colleague, "idea": idea, "note": note,
            "comment": comment, "client": client}


def test_the_rule_is_one_predicate(own):
    idea, author, colleague = own["idea"], own["author"], own["colleague"]
    assert not permissions.can_review_idea(author, idea)
    assert not permissions.can_decide(author, idea)
    assert permissions.can_review_idea(colleague, idea)
    assert not permissions.can_be_assigned(author, idea)


def test_own_idea_page_hides_other_reviewers_notes_and_scores(own):
    response = own["client"].get(own["idea"].get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "PRIVATE-NOTE" not in body
    assert "Cam Colleague" not in body  # the scores table names each reviewer
    assert 'id="notes"' not in body
    assert "/hide/" not in body
    assert f"/ideas/{own['idea'].pk}/assign/" not in body


def test_own_idea_refuses_notes_over_http_and_in_the_service(own):
    idea, client = own["idea"], own["client"]
    response = client.post(f"/ideas/{idea.pk}/notes/", {"body": "Looks great to me"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.note_add(idea=idea, actor=own["author"], body="Looks great")
    assert InternalNote.objects.filter(idea=idea).count() == 1


def test_own_idea_refuses_hiding_a_comment(own):
    comment, client = own["comment"], own["client"]
    response = client.post(f"/ideas/comments/{comment.pk}/hide/", {"reason": "Unfair"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=comment, actor=own["author"], reason="Unfair")
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_own_idea_refuses_assigning_it(own):
    idea, author, client = own["idea"], own["author"], own["client"]
    colleague = own["colleague"]
    response = client.post(f"/ideas/{idea.pk}/assign/", {"assignee": colleague.pk})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.idea_assign(ideas=[idea], assignee=colleague, actor=author)
    # A bulk assignment that includes the own idea changes nothing at all.
    other = IdeaFactory(title="Someone else's idea")
    client.post("/ideas/queue/", {"ideas": [idea.pk, other.pk], "assignee": colleague.pk})
    assert list(Idea.objects.filter(pk__in=[idea.pk, other.pk])
                .values_list("assignee_id", flat=True)) == [None, None]


def test_an_idea_is_never_assigned_to_its_submitter(own):
    idea, author, colleague = own["idea"], own["author"], own["colleague"]
    with pytest.raises(ValidationError):
        services.idea_assign(ideas=[idea], assignee=author, actor=colleague)
    response = Client()
    response.force_login(colleague)
    response.post(f"/ideas/{idea.pk}/assign/", {"assignee": author.pk})
    idea.refresh_from_db()
    assert idea.assignee_id is None


def test_own_idea_refuses_scoring_and_naming_an_owner(own):
    idea, author, client = own["idea"], own["author"], own["client"]
    assert client.post(f"/ideas/{idea.pk}/score/", {
        "impact": 5, "reach": 5, "confidence": 5, "effort": 1}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.idea_set_sponsor(idea=idea, sponsor=author, actor=author)
    assert Score.objects.filter(idea=idea).count() == 1
    idea.refresh_from_db()
    assert idea.sponsor_id is None


def test_own_ideas_are_not_in_the_review_queue(own):
    idea, author = own["idea"], own["author"]
    assert idea not in selectors.review_queue(user=author)
    assert idea in selectors.review_queue(user=own["colleague"])
    response = own["client"].get("/ideas/queue/")
    assert response.status_code == 200
    assert "My own hold music idea" not in response.content.decode()


def test_colleagues_still_review_it(own):
    idea, colleague = own["idea"], own["colleague"]
    services.note_add(idea=idea, actor=colleague, body="Second look")
    services.comment_hide(comment=own["comment"], actor=colleague, reason="Off topic")
    assert services.idea_assign(ideas=[idea], assignee=colleague, actor=colleague) == 1
