"""Quizzes: graded on the server, answers never in the page before submission, pass
mark, best score kept over retries, bad submissions refused with nothing recorded."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from training import services
from training.grading import quiz_grade
from training.models import Enrolment, QuizAttempt

from .factories import EXPLANATIONS, answers_for, as_post, complete_module, right_answers

pytestmark = pytest.mark.django_db


def quiz_url(module):
    return f"/onboarding/modules/{module.pk}/quiz/"


def test_all_right_scores_100(basics):
    score, failed, feedback = quiz_grade(basics, right_answers("who"))
    assert (score, failed) == (100, [])
    assert all(item["correct"] for item in feedback.values())


@pytest.mark.parametrize(("qid", "chosen"), [
    ("who-single", ["who-single-b"]),                               # single: wrong choice
    ("who-multi", ["who-multi-a"]),                                 # multiple: only part
    ("who-multi", ["who-multi-a", "who-multi-b", "who-multi-c"]),   # multiple: too many
    ("who-multi", ["who-multi-c"]),                                 # multiple: wrong one
    ("who-tf", ["who-tf-true"]),                                    # true/false: wrong
])
def test_one_wrong_answer_fails_that_question_only(basics, qid, chosen):
    answers = {**right_answers("who"), qid: chosen}
    score, failed, feedback = quiz_grade(basics, answers)
    assert score == 67
    assert failed == [qid]
    assert feedback[qid]["correct"] is False
    assert [q for q, item in feedback.items() if item["correct"]] == sorted(
        set(right_answers("who")) - {qid}, key=list(right_answers("who")).index)


def test_multiple_answer_order_does_not_matter(basics):
    answers = {**right_answers("who"), "who-multi": ["who-multi-b", "who-multi-a"]}
    assert quiz_grade(basics, answers)[0] == 100


def test_quiz_page_does_not_leak_the_answers(basics, new_hire, as_user):
    html = as_user(new_hire).get(quiz_url(basics)).content.decode()
    form = re.search(r'<form method="post" class="card quiz">.*?</form>', html, re.S).group(0)
    for explanation in EXPLANATIONS:
        assert explanation not in html
    assert "correct" not in html.lower()
    assert "data-" not in form
    assert "checked" not in form
    # Every choice is offered, identified only by its opaque id.
    for choices in right_answers("who").values():
        for cid in choices:
            assert f'value="{cid}"' in form
    assert 'type="checkbox" name="q-who-multi"' in form
    assert 'type="radio" name="q-who-single"' in form
    assert 'type="radio" name="q-who-tf"' in form


def test_after_submitting_only_the_chosen_explanations_show(basics, new_hire, as_user):
    answers = {**right_answers("who"), "who-single": ["who-single-b"]}
    response = as_user(new_hire).post(quiz_url(basics), as_post(answers))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You scored 67%" in html and "Not passed yet" in html
    assert "EXPLAIN-single-wrong" in html
    assert "EXPLAIN-single-right" not in html     # the right answer stays unrevealed
    assert "EXPLAIN-tf-false" in html and "EXPLAIN-tf-true" not in html


@pytest.mark.parametrize(("pass_mark", "wrong", "passed"), [
    (70, (), True),                     # 100 %
    (70, ("who-tf",), False),           # 67 % < 70 %
    (60, ("who-tf",), True),            # 67 % >= 60 %
    (67, ("who-multi",), True),         # exactly the pass mark passes
    (100, ("who-single",), False),
    (0, ("who-single", "who-multi", "who-tf"), True),  # 0 % with no pass mark
])
def test_pass_mark(basics, new_hire, pass_mark, wrong, passed):
    basics.pass_mark = pass_mark
    basics.save_revision().publish()
    attempt, _ = services.quiz_submit(user=new_hire, module=basics,
                                      answers=answers_for(basics, wrong=wrong))
    assert attempt.passed is passed
    assert attempt.failed_questions == list(wrong)


def test_retries_keep_the_best_score(basics, new_hire, as_user):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    client = as_user(new_hire)
    scores = []
    for wrong in [("who-single", "who-multi"), (), ("who-tf",)]:
        response = client.post(quiz_url(basics), as_post(answers_for(basics, wrong=wrong)))
        assert response.status_code == 200
        scores.append(QuizAttempt.objects.filter(user=new_hire).first().score)
    assert scores == [33, 100, 67]
    assert QuizAttempt.objects.filter(user=new_hire, module=basics).count() == 3
    assert Enrolment.objects.get(user=new_hire, module=basics).best_score == 100
    assert "best quiz score 100%" in client.get("/onboarding/").content.decode()


def test_double_submission_is_refused_and_records_one_attempt(basics, new_hire, as_user):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    for lesson in basics.lessons():
        services.lesson_complete(user=new_hire, lesson=lesson)
    client = as_user(new_hire)
    page = client.get(quiz_url(basics)).content.decode()
    token = re.search(r'name="attempt_token" value="([0-9a-f]{32})"', page).group(1)
    data = as_post(answers_for(basics, wrong=("who-tf",)), token=token)
    first, second = client.post(quiz_url(basics), data), client.post(quiz_url(basics), data)
    assert first.status_code == 200
    assert second.status_code == 409
    assert "already submitted" in second.content.decode()
    assert list(QuizAttempt.objects.filter(user=new_hire).values_list("score", flat=True)) \
        == [67]
    enrolment = Enrolment.objects.get(user=new_hire, module=basics)
    assert (enrolment.best_score, enrolment.status) == (67, Enrolment.Status.ASSIGNED)
    # The page after each post carries a new token, so "Submit again" is a new attempt.
    again = re.search(r'name="attempt_token" value="([0-9a-f]{32})"',
                      first.content.decode()).group(1)
    assert again != token
    right = as_post(answers_for(basics), token=again)
    assert client.post(quiz_url(basics), right).status_code == 200
    assert client.post(quiz_url(basics), right).status_code == 409
    enrolment.refresh_from_db()
    assert QuizAttempt.objects.filter(user=new_hire).count() == 2
    assert (enrolment.best_score, enrolment.status) == (100, Enrolment.Status.COMPLETED)
    completed_at = enrolment.completed_at
    client.post(quiz_url(basics), as_post(answers_for(basics, wrong=("who-tf",))))
    enrolment.refresh_from_db()     # a worse retry later changes nothing
    assert QuizAttempt.objects.filter(user=new_hire).count() == 3
    assert (enrolment.best_score, enrolment.status, enrolment.completed_at) == (
        100, Enrolment.Status.COMPLETED, completed_at)


def test_the_service_refuses_a_reused_token(basics, new_hire):
    token = "a" * 32
    services.quiz_submit(user=new_hire, module=basics, answers=answers_for(basics),
                         token=token)
    with pytest.raises(services.QuizAlreadySubmitted):
        services.quiz_submit(user=new_hire, module=basics,
                             answers=answers_for(basics, wrong=("who-tf",)), token=token)
    assert QuizAttempt.objects.filter(user=new_hire).count() == 1


@pytest.mark.parametrize("token", [None, "", "not-a-token", "A" * 32, "a" * 33])
def test_a_post_without_a_valid_attempt_token_is_refused(basics, new_hire, as_user, token):
    data = {k: v for k, v in as_post(answers_for(basics)).items() if k != "attempt_token"}
    if token is not None:
        data["attempt_token"] = token
    response = as_user(new_hire).post(quiz_url(basics), data)
    assert response.status_code == 400
    assert "out of date" in response.content.decode()
    assert not QuizAttempt.objects.exists()


RIGHT = right_answers("who")


@pytest.mark.parametrize(("data", "message"), [
    (as_post({}), "Answer every question (3 unanswered)"),
    (as_post({k: v for k, v in RIGHT.items() if k != "who-tf"}),
     "Answer every question (1 unanswered)"),
    ({**as_post(RIGHT), "q-who-tf": ""}, "Answer every question (1 unanswered)"),
    ({**as_post(RIGHT), "q-forged-question": ["who-single-a"]}, "do not match this quiz"),
    ({**as_post(RIGHT), "q-who-single": ["who-single-z"]}, "do not match this quiz"),
    # A real choice id, but of another question.
    ({**as_post(RIGHT), "q-who-single": ["who-multi-a"]}, "do not match this quiz"),
    ({**as_post(RIGHT), "q-who-multi": ["who-multi-a", "who-tf-false"]},
     "do not match this quiz"),
    ({**as_post(RIGHT), "q-who-single": ["who-single-a", "who-single-b"]},
     "Choose exactly one answer for"),
    ({**as_post(RIGHT), "q-who-tf": ["who-tf-true", "who-tf-false"]},
     "Choose exactly one answer for"),
], ids=["empty", "missing", "blank", "extra-question", "forged-choice",
        "choice-of-other-question", "multi-with-foreign-choice", "two-for-single",
        "two-for-true-false"])
def test_bad_submissions_are_refused_and_nothing_recorded(basics, new_hire, as_user, data,
                                                          message):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    for lesson in basics.lessons():
        services.lesson_complete(user=new_hire, lesson=lesson)
    response = as_user(new_hire).post(quiz_url(basics), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuizAttempt.objects.exists()
    enrolment = Enrolment.objects.get(user=new_hire, module=basics)
    assert (enrolment.best_score, enrolment.status) == (None, Enrolment.Status.ASSIGNED)


def test_service_refuses_forged_answers_too(basics, new_hire):
    with pytest.raises(services.QuizError):
        services.quiz_submit(user=new_hire, module=basics,
                             answers={**RIGHT, "who-single": ["who-single-a", "who-single-a2"]})
    assert not QuizAttempt.objects.exists()


def test_quiz_of_a_locked_module_is_refused(basics, moves, new_hire, as_user):
    client = as_user(new_hire)
    assert client.get(quiz_url(moves)).status_code == 403
    response = client.post(quiz_url(moves), as_post(answers_for(moves)))
    assert response.status_code == 403
    assert not QuizAttempt.objects.exists()
    with pytest.raises(PermissionDenied):
        services.quiz_submit(user=new_hire, module=moves, answers=answers_for(moves))
    complete_module(new_hire, basics)
    assert client.post(quiz_url(moves), as_post(answers_for(moves))).status_code == 200
    assert QuizAttempt.objects.filter(user=new_hire, module=moves, score=100).exists()


def test_module_without_quiz_or_unknown_module_is_404(index, new_hire, as_user):
    from .factories import module_page

    plain = module_page("plain", quiz=False)
    client = as_user(new_hire)
    assert client.get(quiz_url(plain)).status_code == 404
    assert client.get("/onboarding/modules/999999/quiz/").status_code == 404


def test_passing_offers_the_next_module_or_the_way_back(basics, moves, new_hire, as_user):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    services.enrolment_create(user=new_hire, module=moves, actor=None)
    client = as_user(new_hire)
    html = client.post(quiz_url(basics), as_post(right_answers("who"))).content.decode()
    assert f'href="{moves.url}" rel="next"' in html
    assert "Next module: Military families on the move" in html

    # A failed attempt offers no way on; with nothing left, the way back to the overview.
    complete_module(new_hire, basics)
    failed = client.post(quiz_url(moves), as_post(answers_for(
        moves, wrong=("moves-single", "moves-multi", "moves-tf")))).content.decode()
    assert "Next module" not in failed and "Back to my onboarding" not in failed
    html = client.post(quiz_url(moves), as_post(right_answers("moves"))).content.decode()
    assert "Next module" not in html and "Back to my onboarding" in html
