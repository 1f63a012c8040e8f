"""Every write on ideas. Views, admin, tasks and commands call these functions;
each checks permission, validates state, runs atomically and leaves an audit trail."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from notifications.services import notification_create
from people import roles
from people.models import User
from people.settings import programme_settings
from shared.fragments import vocabulary_changed
from shared.resilience import publish
from webhooks.services import idea_event

from . import permissions, semantic
from .models import (
    TWO_QUESTIONS,
    Attachment,
    Comment,
    Contributor,
    Follow,
    Idea,
    ImpactMeasurement,
    InternalNote,
    Score,
    Stage,
    Support,
    ThankYou,
    Transition,
)
from .search import index_words
from .selectors import overdue_q

MAX_WHYS = 5
MAX_ATTACHMENTS = 5
IDEA_FIELDS = ("title", "problem", "customer_segment", "customer_detail", "delight", "metric",
               "journey_stage", "channel", "department", "whys", "confidential", "campaign")


class StaleTransition(ValidationError):
    """The idea moved on since the reviewer loaded it."""


def _clean_whys(whys) -> list[str]:
    cleaned = [str(w).strip() for w in (whys or []) if str(w).strip()]
    if len(cleaned) > MAX_WHYS:
        raise ValidationError(_("At most five whys."))
    return cleaned


def _locked(idea: Idea) -> Idea:
    return Idea.objects.select_for_update(of=("self",)).select_related("stage").get(pk=idea.pk)


@transaction.atomic
def idea_save_draft(*, actor: User, idea: Idea | None = None, tags: Iterable[str] = (),
                    attachments: Iterable = (), submission_token=None, **fields) -> Idea:
    """Create a draft, or change one the actor owns. Submitted ideas are not edited.
    A new idea may carry its form's submission_token (unique: a second post of the same
    form raises IntegrityError, see idea_for_submission)."""
    unknown = set(fields) - set(IDEA_FIELDS)
    if unknown:
        raise ValueError(f"Not idea fields: {', '.join(sorted(unknown))}")
    if idea is None:
        idea = Idea(submitter=actor, submission_token=submission_token)
    else:
        idea = _locked(idea)
        if not permissions.can_edit(actor, idea):
            raise PermissionDenied(_("Only the submitter can edit a draft."))
    fields["whys"] = _clean_whys(fields.get("whys", idea.whys))
    campaign = fields.get("campaign")
    if campaign is not None and campaign.pk != idea.campaign_id:
        _check_campaign(actor, campaign)
    for name, value in fields.items():
        setattr(idea, name, value)
    tags = [t.strip()[:100] for t in tags if t.strip()]
    idea.refresh_search_text(tag_names=tags)
    idea.full_clean(exclude=["submitter", "stage", "tags"])
    created = idea.pk is None
    idea.save()
    idea.tags.set(tags)
    attachments = list(attachments)
    if idea.attachments.count() + len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(_("At most %(n)s attachments per idea.") % {"n": MAX_ATTACHMENTS})
    for upload in attachments:
        Attachment.objects.create(
            idea=idea, file=upload, original_name=upload.name[:200],
            content_type=upload.content_type, size=upload.size, uploaded_by=actor,
        )
    log(instance=idea, action="wagtail.create" if created else "wagtail.edit", user=actor)
    return idea


def _check_campaign(actor: User, campaign) -> None:
    """A campaign takes ideas while it is open, from the people in its audience."""
    from shared.l10n import format_date

    today = timezone.localdate()
    if not campaign.live or campaign.opens_on > today:
        raise ValidationError(_("The campaign “%(title)s” opens on %(date)s: submit your idea "
                                "then, or without the campaign.")
                              % {"title": campaign.title, "date": format_date(campaign.opens_on)})
    if campaign.closes_on < today:
        raise ValidationError(_("The campaign “%(title)s” closed on %(date)s and takes no more "
                                "ideas. Submit yours without the campaign.")
                              % {"title": campaign.title,
                                 "date": format_date(campaign.closes_on)})
    if not permissions.in_campaign_audience(actor, campaign):
        raise ValidationError(_("The campaign “%(title)s” asks other departments or roles. "
                                "Submit your idea without the campaign.")
                              % {"title": campaign.title})


def idea_for_submission(*, actor: User, token) -> Idea | None:
    """The idea an earlier post of the same form created, if any."""
    if not token:
        return None
    return Idea.objects.filter(submitter=actor, submission_token=token).first()


def initial_stage() -> Stage:
    stage = Stage.objects.filter(is_initial=True).order_by("order").first()
    if stage is None:
        raise ValidationError(_("No initial stage is configured; ask a programme admin."))
    return stage


@transaction.atomic
def idea_submit(*, idea: Idea, actor: User) -> Idea:
    idea = _locked(idea)
    if not permissions.can_edit(actor, idea):
        raise PermissionDenied(_("Only the submitter can submit a draft."))
    if idea.campaign_id:
        _check_campaign(actor, idea.campaign)
    stage, now = initial_stage(), timezone.now()
    idea.status, idea.stage, idea.stage_entered_at, idea.submitted_at = (
        Idea.Status.SUBMITTED, stage, now, now)
    idea.save(update_fields=["status", "stage", "stage_entered_at", "submitted_at",
                             "updated_at"])
    Transition.objects.create(idea=idea, from_stage=None, to_stage=stage, actor=actor)
    Follow.objects.get_or_create(idea=idea, user=actor)
    index_words([idea])  # the search's vocabulary (typo corrections, rare words)
    log(instance=idea, action="ideas.submit", user=actor)
    idea_event(type="idea.submitted", idea=idea)  # none for confidential ideas
    if semantic.enabled():
        # Its vector for "similar ideas" (ideas.tasks.embed_idea), after commit; with the
        # broker down it is skipped and `manage.py embed_ideas` catches up.
        pk = idea.pk
        transaction.on_commit(lambda: publish("ideas.embed_idea", args=[pk]))
    return idea


@transaction.atomic
def idea_withdraw(*, idea: Idea, actor: User) -> Idea:
    idea = _locked(idea)
    if not permissions.can_withdraw(actor, idea):
        raise PermissionDenied(_("Only the submitter can withdraw an idea, and only "
                                 "before it is decided."))
    idea.status, idea.withdrawn_at = Idea.Status.WITHDRAWN, timezone.now()
    idea.save(update_fields=["status", "withdrawn_at", "updated_at"])
    log(instance=idea, action="ideas.withdraw", user=actor)
    return idea


def _recount_supports(idea_ids: Iterable[int]) -> None:
    for pk in set(idea_ids):
        Idea.objects.filter(pk=pk).update(support_count=Support.objects.filter(idea_id=pk)
                                          .count())


def _merge_into(duplicate: Idea, original: Idea) -> None:
    """Move supporters and followers to the original, never counting anyone twice."""
    already = set(original.supports.values_list("user_id", flat=True))
    movable = duplicate.supports.exclude(user_id__in=already).exclude(
        user_id=original.submitter_id)
    Support.objects.bulk_create(
        [Support(idea=original, user_id=uid) for uid in movable.values_list("user_id", flat=True)],
        ignore_conflicts=True,
    )
    duplicate.supports.all().delete()
    following = set(original.follows.values_list("user_id", flat=True))
    Follow.objects.bulk_create(
        [Follow(idea=original, user_id=uid) for uid in
         duplicate.follows.exclude(user_id__in=following).values_list("user_id", flat=True)],
        ignore_conflicts=True,
    )
    _recount_supports([duplicate.pk, original.pk])


@transaction.atomic
def idea_transition(*, idea: Idea, to_stage: Stage, actor: User, reason: str = "",
                    expected_stage: Stage | None = None,
                    duplicate_of: Idea | None = None) -> Transition:
    """Move an idea along an allowed edge. The row lock makes concurrent decisions
    safe: the second reviewer finds the stage changed and is told so."""
    idea = _locked(idea)
    if not permissions.can_decide(actor, idea):
        raise PermissionDenied(_("You cannot decide on this idea."))
    current = idea.stage
    if expected_stage is not None and current.pk != expected_stage.pk:
        raise StaleTransition(
            _("Someone else moved this idea to “%(stage)s” meanwhile. Nothing was changed; "
              "please look again.") % {"stage": current.label})
    if not current.allowed_next.filter(pk=to_stage.pk).exists():
        raise ValidationError(_("An idea cannot move from “%(from)s” to “%(to)s”.")
                              % {"from": current.label, "to": to_stage.label})
    if to_stage.requires_impact and not ImpactMeasurement.objects.filter(idea=idea).exists():
        raise ValidationError(_("Record the idea's measured impact (baseline and result) "
                                "before moving it to “%(stage)s”.") % {"stage": to_stage.label})
    if (to_stage.kind in Stage.ACCEPTED_KINDS and current.kind not in Stage.ACCEPTED_KINDS
            and programme_settings().accept_needs_two_questions):
        missing = idea.unanswered_questions()
        if missing:
            raise ValidationError(
                _("Before accepting it, answer yes to Amazon's two questions in the review "
                  "panel. Not yet: %(missing)s") % {"missing": " ".join(missing)})
    reason = (reason or "").strip()
    if to_stage.needs_reason and not reason:
        raise ValidationError(_("Give a reason: the submitter will read it."))
    if len(reason) > 5000:
        raise ValidationError(_("The reason is too long (at most 5000 characters)."))
    if to_stage.kind == Stage.Kind.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError(_("Choose the idea this one duplicates."))
        if duplicate_of.pk == idea.pk or duplicate_of.status != Idea.Status.SUBMITTED:
            raise ValidationError(_("Choose another submitted idea as the original."))
        if duplicate_of.confidential and not (
                idea.confidential and permissions.can_view(idea.submitter, duplicate_of)):
            # The duplicate's page and notifications name the original: they must not
            # reveal a confidential idea to people who may not see it.
            raise ValidationError(_("The original is confidential: only a confidential idea "
                                    "whose submitter may see it can be marked as its "
                                    "duplicate."))
        idea.duplicate_of = duplicate_of
        _merge_into(idea, duplicate_of)
        idea.support_count = 0

    now = timezone.now()
    idea.stage, idea.stage_entered_at = to_stage, now
    if to_stage.is_decided:
        idea.decided_at = now
        idea.first_decided_at = idea.first_decided_at or now
    idea.save(update_fields=["stage", "stage_entered_at", "decided_at", "first_decided_at",
                             "duplicate_of", "support_count", "updated_at"])
    transition = Transition.objects.create(idea=idea, from_stage=current, to_stage=to_stage,
                                           actor=actor, reason=reason)
    log(instance=idea, action="ideas.transition", user=actor,
        data={"from": current.name_en, "to": to_stage.name_en, "reason": reason})
    _notify_decision(idea, transition, actor)
    idea_event(type="idea.decided", idea=idea, stage=to_stage)  # none if confidential
    return transition


def _notify_decision(idea: Idea, transition: Transition, actor: User) -> None:
    followers = User.objects.filter(idea_follows__idea=idea)
    if idea.confidential:
        # A confidential idea's news only reaches those who may see it.
        followers = [u for u in followers if permissions.can_view(u, idea)]
    notification_create(
        recipients=[idea.submitter, *followers], actor=actor, verb="ideas.decision",
        params={"idea": idea.pk, "title": idea.title, "stage": transition.to_stage.name_en,
                "stage_id": transition.to_stage_id,
                "reason": transition.reason,
                "original": idea.duplicate_of.title if idea.duplicate_of_id else None},
    )


@dataclass
class BulkDecision:
    moved: list = field(default_factory=list)
    # (idea, why it was not moved), in the reader's language.
    refused: list = field(default_factory=list)


@transaction.atomic
def ideas_decide(*, ideas: Iterable[Idea], to_stage: Stage, actor: User,
                 reason: str = "") -> BulkDecision:
    """Move several ideas to one stage (the queue's bulk decision). Each idea goes
    through idea_transition, with every check a single decision has, in its own
    savepoint: an idea that may not move (a forbidden step, the actor's own idea, moved
    meanwhile) is reported and left as it was, and the others still move. Their
    submitters and followers hear of it after the commit, one notification per idea."""
    if not permissions.can_review(actor):
        raise PermissionDenied
    if to_stage.kind == Stage.Kind.DUPLICATE:
        raise ValidationError(_("Mark duplicates one at a time: each needs its original."))
    result = BulkDecision()
    for idea in sorted(ideas, key=lambda i: i.pk):
        try:
            with transaction.atomic():
                idea_transition(idea=idea, to_stage=to_stage, actor=actor, reason=reason)
        except (PermissionDenied, ValidationError) as exc:
            result.refused.append((idea, _message(exc)))
        else:
            result.moved.append(idea)
    return result


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You cannot decide on this idea.")


@transaction.atomic
def idea_assign(*, ideas: Iterable[Idea], assignee: User | None, actor: User) -> int:
    if not permissions.can_review(actor):
        raise PermissionDenied
    if assignee is not None and not permissions.can_review(assignee):
        raise ValidationError(_("Ideas can only be assigned to reviewers."))
    locked = list(Idea.objects.select_for_update().filter(
        pk__in=[i.pk for i in ideas], status=Idea.Status.SUBMITTED).order_by("pk"))
    # All or nothing: one idea the actor may not review, or that would land on its own
    # submitter's desk, refuses the whole batch.
    for idea in locked:
        if not permissions.can_review_idea(actor, idea):
            raise PermissionDenied(_("You cannot assign your own idea: it is reviewed by "
                                     "others."))
        if assignee is not None and not permissions.can_be_assigned(assignee, idea):
            raise ValidationError(
                _("%(name)s submitted “%(title)s”: nobody reviews their own idea.")
                % {"name": assignee.name, "title": idea.title})
    count = 0
    for idea in locked:
        if idea.assignee_id == (assignee.pk if assignee else None):
            continue
        idea.assignee = assignee
        idea.save(update_fields=["assignee", "updated_at"])
        log(instance=idea, action="ideas.assign", user=actor,
            data={"assignee": assignee.name if assignee else None})
        count += 1
    if assignee is not None and assignee.pk != actor.pk and count:
        notification_create(
            recipients=[assignee], actor=actor, verb="ideas.assigned",
            params={"count": count},
        )
    return count


@transaction.atomic
def idea_set_sponsor(*, idea: Idea, sponsor: User | None, actor: User) -> Idea:
    idea = _locked(idea)
    if not permissions.can_review_idea(actor, idea):
        raise PermissionDenied
    if sponsor is not None and idea.stage.kind not in Stage.ACCEPTED_KINDS:
        raise ValidationError(_("Only accepted ideas get an owner."))
    if sponsor is not None and not permissions.can_view(sponsor, idea):
        # The owner is told the idea's title and must be able to open it.
        raise ValidationError(_("%(name)s cannot see this confidential idea; choose someone "
                                "who can.") % {"name": sponsor.name})
    idea.sponsor = sponsor
    idea.save(update_fields=["sponsor", "updated_at"])
    # The filter forms list every sponsor (shared.fragments).
    transaction.on_commit(vocabulary_changed)
    log(instance=idea, action="ideas.sponsor", user=actor,
        data={"sponsor": sponsor.name if sponsor else None})
    if sponsor is not None:
        notification_create(recipients=[sponsor], actor=actor, verb="ideas.sponsor",
                            params={"idea": idea.pk, "title": idea.title})
    return idea


@transaction.atomic
def idea_score(*, idea: Idea, reviewer: User, impact: int, reach: int, confidence: int,
               effort: int) -> Score:
    idea = _locked(idea)
    if not permissions.can_decide(reviewer, idea):
        raise PermissionDenied(_("You cannot score this idea."))
    score = Score.objects.filter(idea=idea, reviewer=reviewer).first() or Score(
        idea=idea, reviewer=reviewer)
    score.impact, score.reach, score.confidence, score.effort = impact, reach, confidence, effort
    score.full_clean()
    score.save()
    scores = list(idea.scores.all())
    idea.priority_score = round(sum(s.priority for s in scores) / len(scores), 1)
    idea.save(update_fields=["priority_score"])
    return score


def _viewable(idea: Idea, actor: User) -> None:
    if not permissions.can_view(actor, idea) or idea.status != Idea.Status.SUBMITTED:
        raise PermissionDenied


@transaction.atomic
def support_add(*, idea: Idea, actor: User) -> bool:
    _viewable(idea, actor)
    if idea.submitter_id == actor.pk:
        raise ValidationError(_("You cannot support your own idea."))
    if idea.stage.kind == Stage.Kind.DUPLICATE:
        raise ValidationError(_("This idea is a duplicate: support the original instead."))
    if not permissions.can_support(actor, idea):
        raise ValidationError(_("This idea has been decided: it no longer takes support."))
    # (not "_, created": that would shadow gettext's _ in this whole function)
    __, created = Support.objects.get_or_create(idea=idea, user=actor)
    if created:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    return created


@transaction.atomic
def support_remove(*, idea: Idea, actor: User) -> bool:
    deleted, __ = Support.objects.filter(idea=idea, user=actor).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)


@transaction.atomic
def follow_set(*, idea: Idea, actor: User, follow: bool) -> None:
    if follow:
        _viewable(idea, actor)
        Follow.objects.get_or_create(idea=idea, user=actor)
    else:
        Follow.objects.filter(idea=idea, user=actor).delete()


def _clean_text(body: str, limit: int = 5000) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."))
    if len(body) > limit:
        raise ValidationError(_("Too long: at most %(n)s characters.") % {"n": limit})
    return body


@transaction.atomic
def comment_add(*, idea: Idea, actor: User, body: str) -> Comment:
    _viewable(idea, actor)
    comment = Comment.objects.create(idea=idea, author=actor, body=_clean_text(body))
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, actor: User, body: str) -> Comment:
    if comment.author_id != actor.pk or comment.hidden_at:
        raise PermissionDenied
    comment.body, comment.edited_at = _clean_text(body), timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> None:
    if comment.author_id != actor.pk:
        raise PermissionDenied
    # Count down only what this call deleted: a double-clicked delete ran twice on the
    # same comment and took the count below zero (an IntegrityError, a 500).
    deleted, __ = Comment.objects.filter(pk=comment.pk).delete()
    if deleted:
        Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") - 1)


@transaction.atomic
def comment_hide(*, comment: Comment, actor: User, reason: str) -> Comment:
    # A reviewer never moderates the discussion of an idea they submitted.
    if not permissions.can_review_idea(actor, comment.idea):
        raise PermissionDenied
    comment.hidden_at, comment.hidden_by = timezone.now(), actor
    comment.hidden_reason = _clean_text(reason, 300)
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    log(instance=comment.idea, action="ideas.comment_hide", user=actor,
        data={"comment": comment.pk, "reason": comment.hidden_reason})
    return comment


@transaction.atomic
def note_add(*, idea: Idea, actor: User, body: str) -> InternalNote:
    if not permissions.can_review_idea(actor, idea):
        raise PermissionDenied
    return InternalNote.objects.create(idea=idea, author=actor, body=_clean_text(body))


UNCHANGED = object()


@transaction.atomic
def idea_review(*, idea: Idea, actor: User, to_stage: Stage | None = None, reason: str = "",
                expected_stage: Stage | None = None, duplicate_of: Idea | None = None,
                scores: dict | None = None, assignee=UNCHANGED, sponsor=UNCHANGED,
                note: str = "", questions: dict | None = None) -> list[str]:
    """The reviewer's one decision panel: assignee, scorecard, an internal note, a move
    and the owner, saved together or not at all (one refused part, say a move without
    its reason, leaves the scores and note unsaved too, so nothing is half done).
    Each part goes through its own service and checks. Returns what changed."""
    idea = _locked(idea)
    if not permissions.can_review_idea(actor, idea):
        raise PermissionDenied(_("You cannot review this idea."))
    if expected_stage is not None and expected_stage.pk != idea.stage_id:
        # Scores and notes written against a stage someone else has just left would
        # read as if they were about the new one.
        raise StaleTransition(
            _("Someone else moved this idea to “%(stage)s” meanwhile. Nothing was changed; "
              "please look again.") % {"stage": idea.stage.label})
    done = []
    if assignee is not UNCHANGED and (assignee.pk if assignee else None) != idea.assignee_id:
        idea_assign(ideas=[idea], assignee=assignee, actor=actor)
        done.append("assignee")
    mine = Score.objects.filter(idea=idea, reviewer=actor).first()
    if scores and (mine is None or any(getattr(mine, f) != v for f, v in scores.items())):
        idea_score(idea=idea, reviewer=actor, **scores)
        done.append("scores")
    if note:
        note_add(idea=idea, actor=actor, body=note)
        done.append("note")
    if questions and idea_answer_questions(idea=idea, actor=actor, **questions):
        done.append("questions")
    if to_stage is not None and to_stage.pk != idea.stage_id:
        idea_transition(idea=idea, to_stage=to_stage, actor=actor, reason=reason,
                        expected_stage=expected_stage, duplicate_of=duplicate_of)
        done.append("stage")
    if sponsor is not UNCHANGED:
        idea = _locked(idea)
        if (sponsor.pk if sponsor else None) != idea.sponsor_id:
            idea_set_sponsor(idea=idea, sponsor=sponsor, actor=actor)
            done.append("sponsor")
    return done


@transaction.atomic
def idea_answer_questions(*, idea: Idea, actor: User, customer_named: bool | None,
                          delight_explained: bool | None) -> bool:
    """A reviewer answers Amazon's two questions (None: not checked). A "no" tells the
    submitter which is missing, so they can name the customer or explain the delight.
    Returns whether anything changed."""
    idea = _locked(idea)
    if not permissions.can_decide(actor, idea):
        raise PermissionDenied(_("You cannot review this idea."))
    answers = {"customer_named": customer_named, "delight_explained": delight_explained}
    changed = {f: v for f, v in answers.items() if getattr(idea, f) != v}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(idea, name, value)
    idea.save(update_fields=list(changed))
    log(instance=idea, action="ideas.questions", user=actor, data=answers)
    newly_missing = [f for f, v in changed.items() if v is False]
    if newly_missing:
        notification_create(recipients=[idea.submitter], actor=actor,
                            verb="ideas.questions_missing",
                            params={"idea": idea.pk, "title": idea.title,
                                    "missing": [f for f, _label in TWO_QUESTIONS
                                                if answers[f] is False]})
    return True


OVERDUE_REMINDER_VERB = "ideas.overdue_reminder"


def idea_send_overdue_reminders(*, today: date) -> int:
    """Reviewers hear about their overdue ideas; programme admins about overdue ideas
    nobody is assigned to. Safe to run twice a day: one reminder of each per person per
    day (notification_create's once_key). Returns how many notifications were written."""
    overdue = (Idea.objects.filter(status=Idea.Status.SUBMITTED)
               .exclude(stage__kind__in=Stage.CLOSED_KINDS).filter(overdue_q(today)))
    sent = 0
    with transaction.atomic():
        per_reviewer = (overdue.filter(assignee__isnull=False).values("assignee")
                        .annotate(n=Count("pk")))
        reviewers = User.objects.in_bulk([row["assignee"] for row in per_reviewer])
        for row in per_reviewer:
            sent += len(notification_create(
                recipients=[reviewers[row["assignee"]]], verb=OVERDUE_REMINDER_VERB,
                params={"count": row["n"]}, once_key=f"ideas.overdue:{today.isoformat()}",
            ))
        unassigned = overdue.filter(assignee__isnull=True).count()
        if unassigned:
            admins = Group.objects.get(name=roles.PROGRAMME_ADMIN).user_set.filter(
                is_active=True)
            sent += len(notification_create(
                recipients=admins, verb=OVERDUE_REMINDER_VERB,
                params={"count": unassigned, "unassigned": True},
                once_key=f"ideas.overdue_unassigned:{today.isoformat()}",
            ))
    return sent


# --- Campaign announcements -----------------------------------------------------------
# Each goes to a person at most once per campaign (notification_create's once_key), so
# the daily job and the publish signal may both call them, any number of times.


def campaign_audience(campaign):
    """The active people a campaign asks (everyone, or its departments and roles)."""
    people = User.objects.filter(is_active=True)
    departments = list(campaign.audience_departments.values_list("pk", flat=True))
    groups = list(campaign.audience_roles.values_list("pk", flat=True))
    if departments or groups:
        from django.db.models import Q

        people = people.filter(Q(department__in=departments) | Q(groups__in=groups)).distinct()
    return people


def _campaign_params(campaign) -> dict:
    return {"campaign": campaign.pk, "question": campaign.question,
            "closes_on": campaign.closes_on.isoformat(), "path": campaign.url or ""}


def campaign_announce(*, campaign, today: date | None = None) -> int:
    """Tell the audience that an open campaign asks for ideas."""
    if not campaign.is_open(today):
        return 0
    return len(notification_create(
        recipients=campaign_audience(campaign).iterator(), verb="ideas.campaign_launched",
        params=_campaign_params(campaign), actor=campaign.sponsor,
        once_key=f"ideas.campaign_launched:{campaign.pk}"))


def campaign_remind_closing(*, campaign, today: date) -> int:
    """CAMPAIGN_CLOSING_REMINDER_DAYS before closing, remind those who have not answered."""
    from django.conf import settings

    if not campaign.is_open(today) or (
            campaign.closes_on - today).days != settings.CAMPAIGN_CLOSING_REMINDER_DAYS:
        return 0
    answered = Idea.objects.filter(campaign=campaign).values("submitter")
    return len(notification_create(
        recipients=campaign_audience(campaign).exclude(pk__in=answered).iterator(),
        verb="ideas.campaign_closing", params=_campaign_params(campaign),
        once_key=f"ideas.campaign_closing:{campaign.pk}"))


def campaign_announce_results(*, campaign, today: date | None = None) -> int:
    """Once a closed campaign's results are published, its contributors are told."""
    today = today or timezone.localdate()
    if not campaign.live or campaign.closes_on >= today or not campaign.results.strip():
        return 0
    contributors = User.objects.filter(
        ideas__campaign=campaign, ideas__status=Idea.Status.SUBMITTED).distinct()
    return len(notification_create(
        recipients=contributors.iterator(), verb="ideas.campaign_results",
        params=_campaign_params(campaign), actor=campaign.sponsor,
        once_key=f"ideas.campaign_results:{campaign.pk}"))


def campaigns_daily(*, today: date) -> dict:
    """The daily campaign job: announce campaigns that opened, remind before closing,
    tell contributors about published results. Closing needs no job: a campaign takes
    ideas only between its dates (ideas.services._check_campaign)."""
    from .models import CampaignPage

    counts = {"announced": 0, "reminded": 0, "results": 0}
    for campaign in CampaignPage.objects.live().filter(
            opens_on__lte=today, closes_on__gte=today - timedelta(days=60)):
        counts["announced"] += campaign_announce(campaign=campaign, today=today)
        counts["reminded"] += campaign_remind_closing(campaign=campaign, today=today)
        counts["results"] += campaign_announce_results(campaign=campaign, today=today)
    return counts


def impact_send_reminders(*, today: date) -> int:
    """Ask for the measured impact of ideas implemented the programme's number of working
    days ago (or earlier) that have none yet: their owner (sponsor), or the programme
    admins while nobody owns the idea. Once per idea and person (the once_key)."""
    from shared.workdays import overdue_cutoff

    days = programme_settings().impact_reminder_days
    if not days:
        return 0
    cutoff = overdue_cutoff(today, days - 1)  # entered on or before: `days` have passed
    due = (Idea.objects.filter(status=Idea.Status.SUBMITTED, stage__kind=Stage.Kind.IMPLEMENTED,
                               stage_entered_at__date__lte=cutoff, impact__isnull=True)
           .select_related("sponsor").order_by("pk"))
    admins = None
    sent = 0
    for idea in due.iterator():
        if idea.sponsor is not None and idea.sponsor.is_active:
            recipients = [idea.sponsor]
        else:
            if admins is None:
                admins = list(Group.objects.get(name=roles.PROGRAMME_ADMIN).user_set.filter(
                    is_active=True))
            recipients = admins
        sent += len(notification_create(
            recipients=recipients, verb="ideas.impact_due",
            params={"idea": idea.pk, "title": idea.title, "days": days},
            once_key=f"ideas.impact_due:{idea.pk}"))
    return sent


IMPACT_FIELDS = ("unit", "baseline", "target", "measured", "measured_on", "method", "evidence")


@transaction.atomic
def impact_record(*, idea: Idea, actor: User, **figures) -> ImpactMeasurement:
    """Record (or update) what an implemented idea changed on its customer metric."""
    unknown = set(figures) - set(IMPACT_FIELDS)
    if unknown:
        raise ValueError(f"Not impact fields: {', '.join(sorted(unknown))}")
    idea = _locked(idea)
    if not permissions.can_record_impact(actor, idea):
        raise PermissionDenied(_("Only the idea's owner or a programme admin records its "
                                 "impact."))
    if not permissions.impact_recordable(idea):
        raise ValidationError(_("Impact is recorded once an idea is implemented."))
    impact = ImpactMeasurement.objects.filter(idea=idea).first() or ImpactMeasurement(
        idea=idea)
    impact.metric = idea.metric
    for name, value in figures.items():
        setattr(impact, name, value)
    impact.recorded_by = actor
    impact.full_clean(exclude=["idea", "recorded_by"])
    impact.save()
    log(instance=idea, action="ideas.impact", user=actor,
        data={"metric": impact.metric, "unit": impact.unit, "baseline": str(impact.baseline),
              "target": None if impact.target is None else str(impact.target),
              "measured": str(impact.measured), "measured_on": impact.measured_on.isoformat()})
    return impact


# --- Recognition: co-authors and thank-you notes --------------------------------------

MAX_COAUTHORS = 5


@transaction.atomic
def idea_coauthor_invite(*, idea: Idea, person: User, actor: User) -> Contributor:
    """The submitter asks a colleague to be credited as a co-author; they are told and
    accept or decline on the idea page."""
    idea = _locked(idea)  # serialises invitations: the limit below holds
    if not permissions.can_invite_coauthors(actor, idea):
        raise PermissionDenied(_("Only the submitter of a submitted idea invites co-authors."))
    if person.pk == idea.submitter_id:
        raise ValidationError(_("You are already credited with this idea."))
    if not permissions.can_be_coauthor(person, idea):
        raise ValidationError(_("%(name)s cannot see this confidential idea; invite someone "
                                "who can.") % {"name": person.name})
    existing = Contributor.objects.filter(idea=idea, person=person).first()
    if existing is not None:
        raise ValidationError({
            Contributor.Status.INVITED: _("%(name)s is already invited."),
            Contributor.Status.ACCEPTED: _("%(name)s is already a co-author."),
            Contributor.Status.DECLINED: _("%(name)s declined to be a co-author of this "
                                           "idea and is not asked again."),
        }[existing.status] % {"name": person.name})
    if Contributor.objects.filter(idea=idea).exclude(
            status=Contributor.Status.DECLINED).count() >= MAX_COAUTHORS:
        raise ValidationError(_("An idea has at most %(n)s co-authors.")
                              % {"n": MAX_COAUTHORS})
    contribution = Contributor.objects.create(idea=idea, person=person, invited_by=actor)
    log(instance=idea, action="ideas.coauthor_invite", user=actor,
        data={"person": person.pk, "name": person.name})
    notification_create(recipients=[person], actor=actor, verb="ideas.coauthor_invited",
                        params={"idea": idea.pk, "title": idea.title, "by": actor.name})
    return contribution


def _locked_contribution(contribution: Contributor) -> Contributor:
    return (Contributor.objects.select_for_update(of=("self",)).select_related("idea", "person")
            .get(pk=contribution.pk))


@transaction.atomic
def idea_coauthor_answer(*, contribution: Contributor, actor: User,
                         accept: bool) -> Contributor:
    contribution = _locked_contribution(contribution)
    if not permissions.can_answer_invitation(actor, contribution):
        raise ValidationError(_("This invitation is no longer open."))
    contribution.status = (Contributor.Status.ACCEPTED if accept
                           else Contributor.Status.DECLINED)
    contribution.responded_at = timezone.now()
    contribution.save(update_fields=["status", "responded_at"])
    idea = contribution.idea
    if accept:
        # A co-author hears of decisions as the submitter does (they may unfollow).
        Follow.objects.get_or_create(idea=idea, user=actor)
    log(instance=idea, action="ideas.coauthor_answer", user=actor,
        data={"person": actor.pk, "name": actor.name, "accepted": accept})
    notification_create(recipients=[idea.submitter], actor=actor,
                        verb="ideas.coauthor_answered",
                        params={"idea": idea.pk, "title": idea.title, "by": actor.name,
                                "accepted": accept})
    return contribution


@transaction.atomic
def idea_coauthor_remove(*, contribution: Contributor, actor: User) -> None:
    contribution = _locked_contribution(contribution)
    if not permissions.can_remove_contributor(actor, contribution):
        raise PermissionDenied
    idea = contribution.idea
    contribution.delete()
    log(instance=idea, action="ideas.coauthor_remove", user=actor,
        data={"person": contribution.person_id, "name": contribution.person.name})


@transaction.atomic
def idea_thank(*, idea: Idea, actor: User, body: str) -> ThankYou:
    """A thank-you note to an idea's contributors (submitter and co-authors), who are
    told; one per person and idea (a database constraint)."""
    from django.db import IntegrityError

    body = (body or "").strip()
    if not permissions.can_thank(actor, idea):
        raise PermissionDenied(_("You cannot thank the contributors of this idea."))
    if not body:
        raise ValidationError(_("Write a few words of thanks."))
    if len(body) > ThankYou.MAX_LENGTH:
        raise ValidationError(_("A note has at most %(n)s characters.")
                              % {"n": ThankYou.MAX_LENGTH})
    try:
        with transaction.atomic():
            note = ThankYou.objects.create(idea=idea, author=actor, body=body)
    except IntegrityError:
        raise ValidationError(
            _("You have already thanked the contributors of this idea.")) from None
    log(instance=idea, action="ideas.thank", user=actor, data={"note": note.pk})
    credited = User.objects.filter(pk__in=permissions.credited_ids(idea), is_active=True)
    notification_create(recipients=credited, actor=actor, verb="ideas.thanked",
                        params={"idea": idea.pk, "title": idea.title, "by": actor.name,
                                "note": body})
    return note
