"""Who may see and do what with an idea. Selectors and services both ask here."""

from .models import Idea


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm("ideas.review_idea")


def can_see_confidential(user) -> bool:
    return user.is_authenticated and user.has_perm("ideas.view_confidential_idea")


def can_view(user, idea: Idea) -> bool:
    if not user.is_authenticated:
        return False
    if idea.submitter_id == user.pk:
        return True
    if idea.status == Idea.Status.DRAFT:
        return False
    if idea.status == Idea.Status.WITHDRAWN and not can_review(user):
        return False
    return not idea.confidential or can_see_confidential(user)


def can_edit(user, idea: Idea) -> bool:
    return idea.submitter_id == user.pk and idea.status == Idea.Status.DRAFT


def can_decide(user, idea: Idea) -> bool:
    # Nobody decides on their own idea, whatever their role.
    return (can_review(user) and idea.submitter_id != user.pk
            and idea.status == Idea.Status.SUBMITTED)


def can_withdraw(user, idea: Idea) -> bool:
    return (idea.submitter_id == user.pk and idea.status == Idea.Status.SUBMITTED
            and idea.stage is not None and not idea.stage.is_decided)
