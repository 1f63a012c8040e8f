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


def can_review_idea(user, idea: Idea) -> bool:
    """Every review action on this idea: reading the reviewers' internal notes and
    scores, adding notes, scoring, assigning, naming an owner, hiding comments.
    Conflict of interest: nobody reviews their own idea, whatever their role; on it
    they are its submitter, like anyone else."""
    return can_review(user) and idea.submitter_id != user.pk and can_view(user, idea)


def can_decide(user, idea: Idea) -> bool:
    return can_review_idea(user, idea) and idea.status == Idea.Status.SUBMITTED


def can_be_assigned(user, idea: Idea) -> bool:
    # The same rule seen from the other side: an idea never lands on its submitter's desk.
    return can_review(user) and idea.submitter_id != user.pk


# Support says "this matters to our customers": it still counts while an idea waits, is
# accepted or being done, or is parked; it no longer means anything once an idea is
# declined, a duplicate (support the original) or implemented.
SUPPORTABLE_KINDS = {"open", "accepted", "in_progress", "parked"}


def can_support(user, idea: Idea) -> bool:
    return (can_view(user, idea) and idea.status == Idea.Status.SUBMITTED
            and idea.submitter_id != user.pk and idea.stage is not None
            and idea.stage.kind in SUPPORTABLE_KINDS)


def can_withdraw(user, idea: Idea) -> bool:
    return (idea.submitter_id == user.pk and idea.status == Idea.Status.SUBMITTED
            and idea.stage is not None and not idea.stage.is_decided)


def in_campaign_audience(user, campaign) -> bool:
    """Everyone, unless the campaign names departments or roles: then people in one of
    those departments or holding one of those roles."""
    if not user.is_authenticated:
        return False
    departments = {d.pk for d in campaign.audience_departments.all()}
    roles = {g.pk for g in campaign.audience_roles.all()}
    if not departments and not roles:
        return True
    if user.department_id in departments:
        return True
    # The person's roles are read once per request, however many campaigns ask.
    if not hasattr(user, "_role_ids"):
        user._role_ids = set(user.groups.values_list("pk", flat=True))
    return bool(user._role_ids & roles)


def can_submit_to_campaign(user, campaign) -> bool:
    return campaign.is_open() and in_campaign_audience(user, campaign)


def can_record_impact(user, idea: Idea) -> bool:
    """The measured impact of an implemented idea: recorded by its owner (sponsor) or a
    programme admin (who may see the idea)."""
    if not user.is_authenticated or not can_view(user, idea):
        return False
    return idea.sponsor_id == user.pk or user.has_perm("people.view_programme_dashboard")


def impact_recordable(idea: Idea) -> bool:
    return (idea.status == Idea.Status.SUBMITTED and idea.stage is not None
            and idea.stage.kind == idea.stage.Kind.IMPLEMENTED)


# --- Recognition: co-authors and thanks -----------------------------------------------


def credited_ids(idea: Idea) -> set[int]:
    """The people credited with an idea: its submitter and the co-authors who accepted.
    Read once per idea object (the idea page asks several times)."""
    if not hasattr(idea, "_credited_ids"):
        from .models import Contributor

        idea._credited_ids = {idea.submitter_id, *Contributor.objects.filter(
            idea=idea, status=Contributor.Status.ACCEPTED).values_list("person", flat=True)}
    return idea._credited_ids


def can_invite_coauthors(user, idea: Idea) -> bool:
    """The submitter of a submitted idea (a draft is private; a withdrawn one is over)."""
    return (user.is_authenticated and idea.submitter_id == user.pk
            and idea.status == Idea.Status.SUBMITTED)


def can_be_coauthor(person, idea: Idea) -> bool:
    """An active colleague other than the submitter who may see the idea: inviting
    someone must not show them a confidential idea they are not cleared for."""
    return (person.is_active and person.pk != idea.submitter_id
            and can_view(person, idea))


def can_answer_invitation(user, contribution) -> bool:
    return (user.is_authenticated and contribution.person_id == user.pk
            and contribution.status == contribution.Status.INVITED
            and can_view(user, contribution.idea))


def can_remove_contributor(user, contribution) -> bool:
    """The submitter takes back an invitation or a credit; a co-author may step down."""
    return user.is_authenticated and user.pk in (contribution.idea.submitter_id,
                                                 contribution.person_id)


def can_thank(user, idea: Idea) -> bool:
    """Anyone who may see a submitted idea, except those it credits."""
    return (can_view(user, idea) and idea.status == Idea.Status.SUBMITTED
            and user.pk not in credited_ids(idea))
