"""Amazon's two questions in review: which customer is affected (named?) and why it will
delight them (explained?). Accepting needs a yes to both unless the programme relaxes
it; the submitter sees which is missing."""

import pytest
from django.core.exceptions import ValidationError

from ideas import services
from ideas.models import Idea
from notifications.models import Notification
from people.models import ProgrammeSettings
from people.settings import programme_settings
from tests.champions.factories import as_user
from tests.ideas.factories import IdeaFactory, answer_questions, move, stage

pytestmark = pytest.mark.django_db

NAMED = "customer_named"
EXPLAINED = "delight_explained"


@pytest.fixture
def idea(reviewer):
    idea = IdeaFactory(title="Call retirees back before the claim deadline")
    return move(idea, "Triage", "In review", actor=reviewer) and Idea.objects.get(pk=idea.pk)


def review(client, idea, **data):
    return client.post(f"/ideas/{idea.pk}/review/", {
        "expected_stage": idea.stage_id, "assignee": "", **data})


def test_accepting_without_the_two_answers_is_refused_and_changes_nothing(reviewer, idea):
    response = review(as_user(reviewer), idea, to_stage=stage("Accepted").pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Before accepting it, answer yes to Amazon&#x27;s two questions" in page
    assert "is the customer named?" in page and "is the delight explained?" in page
    assert Idea.objects.get(pk=idea.pk).stage.name == "In review"


def test_two_yeses_and_the_move_in_one_review(reviewer, idea):
    response = review(as_user(reviewer), idea, to_stage=stage("Accepted").pk,
                      **{NAMED: "yes", EXPLAINED: "yes"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.stage.name == "Accepted"
    assert idea.customer_named is True and idea.delight_explained is True


def test_a_no_tells_the_submitter_which_question_is_missing(reviewer, idea, employee):
    review(as_user(reviewer), idea, **{NAMED: "yes", EXPLAINED: "no"})
    idea.refresh_from_db()
    assert idea.customer_named is True and idea.delight_explained is False
    told = Notification.objects.get(verb="ideas.questions_missing")
    assert told.recipient == idea.submitter
    assert told.body == "Why will it delight them: is the delight explained?"
    page = as_user(idea.submitter).get(f"/ideas/{idea.pk}/").content.decode()
    assert "No: not yet answered" in page and "A reviewer found something missing" in page
    # Other colleagues do not see the reviewers' answers.
    assert "Amazon&#x27;s two questions" not in as_user(employee).get(
        f"/ideas/{idea.pk}/").content.decode()
    # And a yes/no pair still refuses the acceptance, naming only what is missing.
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(idea=idea, to_stage=stage("Accepted"), actor=reviewer)
    assert "delight" in str(refused.value) and "customer named" not in str(refused.value)


def test_a_review_without_the_questions_leaves_the_answers_alone(reviewer, idea):
    answer_questions(idea, True, False)
    review(as_user(reviewer), idea, note="Asked Legal.")
    idea.refresh_from_db()
    assert (idea.customer_named, idea.delight_explained) == (True, False)


def test_an_answer_that_is_not_yes_or_no_is_refused(reviewer, idea):
    response = review(as_user(reviewer), idea, **{NAMED: "maybe", EXPLAINED: "yes"})
    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.customer_named is None and idea.delight_explained is None


def test_the_programme_can_relax_the_rule(reviewer, idea):
    row = ProgrammeSettings.load()
    row.accept_needs_two_questions = False
    row.save()
    assert programme_settings().accept_needs_two_questions is False
    services.idea_transition(idea=idea, to_stage=stage("Accepted"), actor=reviewer)
    assert Idea.objects.get(pk=idea.pk).stage.name == "Accepted"


def test_the_bulk_decision_lists_ideas_without_the_answers(reviewer, idea):
    ready = move(IdeaFactory(), "Triage", "In review", actor=reviewer)
    answer_questions(ready)
    result = services.ideas_decide(ideas=[idea, ready], to_stage=stage("Accepted"),
                                   actor=reviewer)
    assert [i.pk for i in result.moved] == [ready.pk]
    [(refused, message)] = result.refused
    assert refused.pk == idea.pk and "Amazon's two questions" in message
