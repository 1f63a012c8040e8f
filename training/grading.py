"""Grading a quiz: pure functions of a module's quiz and the answers given, no database.
The quiz form checks answers with quiz_check_answers before anything is recorded, and
quiz_submit grades with quiz_grade (which checks them again: callers other than the page
are held to the same rules)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Shown for unknown, forged or misplaced question and choice ids.
ANSWERS_DO_NOT_MATCH = gettext_lazy("The answers do not match this quiz; reload the page "
                                    "and try again.")


class QuizError(ValidationError):
    pass


def quiz_check_answers(module, answers: dict[str, list[str]]) -> None:
    """Refuse answers {question id: [choice ids]} that are not a complete, well-formed
    submission of this module's quiz (QuizError); unknown ids are refused, not scored."""
    questions = {q.id: q for q in module.quiz}
    if not questions:
        raise QuizError(_("This module has no quiz."))
    if set(answers) - set(questions):
        raise QuizError(str(ANSWERS_DO_NOT_MATCH))
    missing = [qid for qid in questions if not answers.get(qid)]
    if missing:
        raise QuizError(_("Answer every question (%(n)s unanswered).") % {"n": len(missing)})
    for qid, question in questions.items():
        choices = {c.id for c in question.value["choices"].bound_blocks}
        chosen = set(answers[qid])
        if not chosen <= choices:
            raise QuizError(str(ANSWERS_DO_NOT_MATCH))
        if question.value["kind"] != "multiple" and len(chosen) != 1:
            raise QuizError(_("Choose exactly one answer for “%(q)s”.")
                            % {"q": question.value["text"]})


def quiz_grade(module, answers: dict[str, list[str]]) -> tuple[int, list[str], dict]:
    """Score answers {question id: [choice ids]} on the server: the percentage right,
    the ids of the questions failed and, per question, whether it was right and the
    explanations of the choices made."""
    quiz_check_answers(module, answers)
    questions = {q.id: q for q in module.quiz}
    correct, failed, feedback = 0, [], {}
    for qid, question in questions.items():
        choices = {c.id: c.value for c in question.value["choices"].bound_blocks}
        chosen = set(answers[qid])
        right = {cid for cid, c in choices.items() if c["correct"]}
        ok = chosen == right
        correct += ok
        if not ok:
            failed.append(qid)
        feedback[qid] = {"correct": ok, "explanations": [
            choices[cid]["explanation"] for cid in chosen if choices[cid]["explanation"]]}
    return round(100 * correct / len(questions)), failed, feedback
