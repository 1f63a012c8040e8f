"""Who may do what with champions, terms and nominations. Views, template tags and
services all ask here."""

from ideas import permissions as idea_permissions
from ideas.models import Idea, Stage

from .models import Term

# "May manage customer champions": decide nominations, start, renew and end anyone's
# term. A permission of its own, not the borrowed CRUD change_nomination (that one stays
# for the Wagtail admin).
MANAGE_CHAMPIONS = "champions.manage_champions"

# A champion may sponsor an idea once it is accepted, until it is closed.
SPONSORABLE_KINDS = Stage.UNDER_WAY_KINDS


def can_manage(user) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE_CHAMPIONS)


def has_active_term(user) -> bool:
    return (user.is_authenticated and user.is_active
            and Term.objects.active().filter(person=user).exists())


def can_end_term(user, term: Term) -> bool:
    """The champion steps down; a manager ends anyone's term."""
    return user.is_authenticated and (term.person_id == user.pk or can_manage(user))


def can_hand_over(user, term: Term) -> bool:
    """The champion hands over to a successor (or a manager does it for them)."""
    return can_end_term(user, term)


def can_renew_term(user, term: Term) -> bool:
    return can_manage(user)


def is_sponsorable(idea: Idea) -> bool:
    return (idea.status == Idea.Status.SUBMITTED and idea.stage is not None
            and idea.stage.kind in SPONSORABLE_KINDS)


def can_sponsor(user, idea: Idea) -> bool:
    """Whether to offer "Sponsor this idea": cheap checks first, one query at most."""
    return (user.is_authenticated and idea.sponsor_id is None and is_sponsorable(idea)
            and idea_permissions.can_view(user, idea) and has_active_term(user))


def can_turn_into_idea(user, insight) -> bool:
    """An insight that has not led to an idea yet becomes one in the hands of the person
    who logged it, a champion (who act on their departments' insights) or a manager."""
    return (user.is_authenticated and insight.idea_id is None
            and (insight.author_id == user.pk or can_manage(user) or has_active_term(user)))


def is_department_champion(user, department_id) -> bool:
    return (user.is_authenticated and department_id is not None
            and Term.objects.active().filter(person=user, department_id=department_id).exists())


def can_answer_insight(user, insight) -> bool:
    """Acknowledge, act on or close an insight: its owner, a champion of its department
    (co-champions cover for each other) or a manager; a closed insight stays closed."""
    if not user.is_authenticated or insight.status == insight.Status.CLOSED:
        return False
    return (insight.owner_id == user.pk or can_manage(user)
            or is_department_champion(user, insight.department_id))


def can_reassign_insight(user, insight) -> bool:
    """Hand an insight to someone else: its owner or a manager (who also picks up the
    insights nobody owns)."""
    return (user.is_authenticated and insight.status != insight.Status.CLOSED
            and (insight.owner_id == user.pk or can_manage(user)))


def in_pulse_audience(user, survey) -> bool:
    departments = {d.pk for d in survey.departments.all()}
    return not departments or user.department_id in departments


def can_answer_pulse(user, pulse_round) -> bool:
    """An open round of a survey meant for them (answering twice is refused by the
    service and the database, not here: the page then thanks them instead)."""
    return (user.is_authenticated and user.is_active and pulse_round.is_open
            and pulse_round.survey.audience == pulse_round.survey.Audience.EMPLOYEES
            and in_pulse_audience(user, pulse_round.survey))


def can_see_pulse_results(user) -> bool:
    """Results are for those who act on them: champions and managers."""
    return can_manage(user) or has_active_term(user)
