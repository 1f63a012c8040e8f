"""Writes on champions: nominations, terms, insights. Permission-checked, atomic,
audited (Wagtail log entries), and they keep the Champion role in step with terms."""

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ideas import permissions as idea_permissions
from ideas.models import Follow, Idea
from notifications.services import notification_create
from people import roles
from people.models import Department, User
from people.settings import programme_settings
from shared.workdays import add_working_days, add_working_hours

from .models import (
    Insight,
    InsightStatus,
    InsightUpdate,
    Nomination,
    PulseAnswer,
    PulseLink,
    PulseQuestion,
    PulseResponse,
    PulseRound,
    PulseSurvey,
    Term,
)
from .permissions import (
    can_answer_insight,
    can_end_term,
    can_hand_over,
    can_manage,
    can_reassign_insight,
    can_renew_term,
    has_active_term,
    is_sponsorable,
)


@transaction.atomic
def idea_sponsor(*, idea: Idea, actor: User) -> Idea:
    """A champion with an active term sponsors an accepted idea and becomes its owner.
    The submitter is told; the sponsor follows the idea from now on."""
    if not has_active_term(actor):
        raise PermissionDenied(_("Only a customer champion with an active term can sponsor "
                                 "an idea."))
    idea = (Idea.objects.select_for_update(of=("self",)).select_related("stage", "submitter")
            .get(pk=idea.pk))
    if not idea_permissions.can_view(actor, idea):
        raise PermissionDenied
    if not is_sponsorable(idea):
        raise ValidationError(_("Only accepted ideas that are not closed yet can be "
                                "sponsored."))
    if idea.sponsor_id == actor.pk:
        raise ValidationError(_("You already sponsor this idea."))
    if idea.sponsor_id is not None:
        raise ValidationError(_("This idea already has an owner."))
    idea.sponsor = actor
    idea.save(update_fields=["sponsor", "updated_at"])
    Follow.objects.get_or_create(idea=idea, user=actor)
    log(instance=idea, action="ideas.sponsor", user=actor,
        data={"sponsor": actor.name, "as": "champion"})
    notification_create(
        recipients=[idea.submitter], actor=actor, verb="ideas.champion_sponsor",
        params={"idea": idea.pk, "title": idea.title, "champion": actor.name})
    return idea


def _text(value: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("%(label)s is required.") % {"label": label})
    if len(value) > limit:
        raise ValidationError(_("%(label)s is too long (at most %(n)s characters).")
                              % {"label": label, "n": limit})
    return value


def champion_role_sync(*, person: User, on: date | None = None) -> None:
    """Champion role ⇔ an active term, so nobody keeps the role past their term."""
    group = Group.objects.get(name=roles.CHAMPION)
    if Term.objects.active(on).filter(person=person).exists():
        person.groups.add(group)
    else:
        person.groups.remove(group)


@transaction.atomic
def nomination_create(*, nominator: User, nominee: User, department: Department,
                      reason: str) -> Nomination:
    if not nominee.is_active:
        raise ValidationError(_("Only active employees can be nominated."))
    if not nominee.groups.filter(name=roles.EMPLOYEE).exists():
        raise ValidationError(_("Only employees can be nominated."))
    reason = _text(reason, _("The reason"), 2000)
    already = ValidationError(_("%(name)s is already nominated for %(dept)s.")
                              % {"name": nominee.name, "dept": department.name})
    open_nominations = Nomination.objects.filter(nominee=nominee, department=department,
                                                 status=Nomination.Status.OPEN)
    if open_nominations.exists():
        raise already
    try:
        # The check above misses a nomination being made at the same moment; the
        # database's one-open-nomination constraint does not (the loser waits for the
        # winner to commit, then fails here). Notifications are recorded after the
        # insert, so only the nomination that exists notifies anyone.
        with transaction.atomic():
            nomination = Nomination.objects.create(nominator=nominator, nominee=nominee,
                                                   department=department, reason=reason)
    except IntegrityError:
        if open_nominations.exists():
            raise already from None
        raise
    log(instance=nomination, action="champions.nominate", user=nominator)
    admins = Group.objects.get(name=roles.PROGRAMME_ADMIN).user_set.filter(is_active=True)
    notification_create(
        recipients=admins, actor=nominator, verb="champions.nomination",
        params={"nominee": nominee.name, "department": department.name, "reason": reason})
    return nomination


def _overlapping(person: User, department: Department, starts_on: date, ends_on: date,
                 exclude_pk=None):
    # Ended terms are history but still count: their real span ends on ended_on.
    qs = Term.objects.filter(
        Q(ended_on__isnull=True, ends_on__gte=starts_on) | Q(ended_on__gt=starts_on),
        person=person, department=department, starts_on__lte=ends_on)
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


@transaction.atomic
def term_start(*, person: User, department: Department, actor: User,
               starts_on: date | None = None, ends_on: date | None = None,
               renewed_from: Term | None = None) -> Term:
    if not can_manage(actor):
        raise PermissionDenied
    starts_on = starts_on or timezone.localdate()
    ends_on = ends_on or starts_on + relativedelta(months=programme_settings().champion_term_months,
                                                   days=-1)
    if ends_on < starts_on:
        raise ValidationError(_("A term cannot end before it starts."))
    # Lock the person (a row that always exists: locking their terms locked nothing
    # for someone without one, and four term starts at once made four terms), so two
    # term starts at once take turns and the second sees the first's term.
    User.objects.select_for_update().filter(pk=person.pk).first()
    if _overlapping(person, department, starts_on, ends_on).exists():
        raise ValidationError(_("%(name)s already has a term for %(dept)s in that period.")
                              % {"name": person.name, "dept": department.name})
    term = Term.objects.create(person=person, department=department, starts_on=starts_on,
                               ends_on=ends_on, created_by=actor, renewed_from=renewed_from)
    champion_role_sync(person=person)
    log(instance=term, action="champions.term_start", user=actor,
        data={"person": person.name, "department": department.name,
              "from": str(starts_on), "to": str(ends_on)})
    return term


def _nomination_open_for_decision(nomination: Nomination, actor: User) -> Nomination:
    """The nomination re-read under a lock, if the actor may decide it and it is open."""
    if not can_manage(actor):
        raise PermissionDenied
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != Nomination.Status.OPEN:
        raise ValidationError(_("This nomination was already %(status)s.")
                              % {"status": nomination.get_status_display()})
    return nomination


def _nomination_decided(nomination: Nomination, *, actor: User, status: str,
                        log_data: dict | None = None) -> None:
    """Save the decision, audit it and tell the nominee and the nominator."""
    nomination.status, nomination.decided_by = status, actor
    nomination.decided_at = timezone.now()
    nomination.save()
    approved = status == Nomination.Status.APPROVED
    log(instance=nomination, user=actor, data=log_data,
        action="champions.nomination_approve" if approved else "champions.nomination_decline")
    notification_create(
        recipients=[nomination.nominee, nomination.nominator], actor=actor,
        verb="champions.nomination_decision",
        params={"approved": approved, "person": nomination.nominee_id,
                "nominee": nomination.nominee.name, "department": nomination.department.name,
                "reason": nomination.decision_reason})


@transaction.atomic
def nomination_approve(*, nomination: Nomination, actor: User, reason: str = "",
                       starts_on: date | None = None) -> Term:
    nomination = _nomination_open_for_decision(nomination, actor)
    term = term_start(person=nomination.nominee, department=nomination.department,
                      actor=actor, starts_on=starts_on)
    nomination.decision_reason, nomination.term = (reason or "").strip(), term
    _nomination_decided(nomination, actor=actor, status=Nomination.Status.APPROVED)
    return term


@transaction.atomic
def nomination_decline(*, nomination: Nomination, actor: User, reason: str) -> Nomination:
    nomination = _nomination_open_for_decision(nomination, actor)
    nomination.decision_reason = _text(reason, _("The reason"), 2000)
    _nomination_decided(nomination, actor=actor, status=Nomination.Status.DECLINED,
                        log_data={"reason": nomination.decision_reason})
    return nomination


@transaction.atomic
def term_end(*, term: Term, actor: User | None, reason: str, on: date | None = None) -> Term:
    """End a term early (actor) or at expiry (actor None: the daily job)."""
    if actor is not None and not can_end_term(actor, term):
        raise PermissionDenied
    term = Term.objects.select_for_update().get(pk=term.pk)
    if term.ended_on is not None:
        return term
    term.ended_on = min(on or timezone.localdate(), term.ends_on)
    term.ended_reason = reason[:300]
    term.save(update_fields=["ended_on", "ended_reason"])
    champion_role_sync(person=term.person)
    log(instance=term, action="champions.term_end", user=actor, data={"reason": reason})
    return term


@transaction.atomic
def term_renew(*, term: Term, actor: User, months: int | None = None) -> Term:
    if not can_renew_term(actor, term):
        raise PermissionDenied
    starts_on = term.ends_on + relativedelta(days=1)
    months = months or programme_settings().champion_term_months
    ends_on = starts_on + relativedelta(months=months, days=-1)
    return term_start(person=term.person, department=term.department, actor=actor,
                      starts_on=starts_on, ends_on=ends_on, renewed_from=term)


@transaction.atomic
def term_handover(*, term: Term, actor: User, successor: User, note: str) -> Nomination:
    """The champion steps down with a note; the successor is nominated for approval."""
    if not can_hand_over(actor, term):
        raise PermissionDenied
    # Re-read under a lock: a second (double-submitted) handover must see the first.
    term = Term.objects.select_for_update(of=("self",)).select_related("department").get(pk=term.pk)
    if not term.is_active:
        raise ValidationError(_("Only an active term can be handed over."))
    if successor.pk == term.person_id:
        raise ValidationError(_("Choose someone else as successor."))
    note = _text(note, _("The handover note"), 3000)
    nomination = nomination_create(nominator=actor, nominee=successor,
                                   department=term.department, reason=note)
    term.handover_note, term.successor = note, successor
    term.save(update_fields=["handover_note", "successor"])
    term_end(term=term, actor=actor, reason=_("Handed over to %(name)s") % {
        "name": successor.name})
    return nomination


@transaction.atomic
def insight_create(*, author: User, text: str, sentiment: str, customer_segment=None,
                   channel=None, idea=None, tags=()) -> Insight:
    text = _text(text, _("What you learned"), 1000)
    if idea is not None and not idea_permissions.can_view(author, idea):
        raise ValidationError(_("Choose an idea you can see."))
    now = timezone.now()
    owner = default_insight_owner(author.department)
    insight = Insight(author=author, department=author.department, text=text,
                      sentiment=sentiment, customer_segment=customer_segment, channel=channel,
                      idea=idea, owner=owner,
                      respond_by=add_working_hours(now, Insight.RESPONSE_HOURS))
    if idea is not None:
        # Logged as the evidence of an existing idea: already acted on.
        insight.status, insight.responded_at = InsightStatus.IDEA, now
    tags = [t.strip()[:100] for t in tags if t.strip()]
    insight.refresh_search_text(tags)
    insight.full_clean()
    insight.save()
    insight.tags.set(tags)
    if owner is not None and insight.status == InsightStatus.NEW:
        _tell_owner(insight, actor=author)
    return insight


def default_insight_owner(department: Department | None) -> User | None:
    """The champion of the department (the longest-serving, if it has several); None
    when it has none: the programme admins then answer it."""
    if department is None:
        return None
    term = (Term.objects.active().filter(department=department, person__is_active=True)
            .select_related("person").order_by("starts_on", "pk").first())
    return term.person if term else None


def _tell_owner(insight: Insight, *, actor: User | None) -> None:
    notification_create(recipients=[insight.owner], actor=actor,
                        verb="champions.insight_assigned",
                        params=_insight_params(insight))


def _insight_params(insight: Insight, **extra) -> dict:
    return {"insight": insight.pk, "text": insight.text[:200],
            "respond_by": insight.respond_by.isoformat() if insight.respond_by else "",
            **extra}


def _record(insight: Insight, *, actor: User | None, status: str, note: str = "",
            owner: User | None = None) -> InsightUpdate:
    return InsightUpdate.objects.create(insight=insight, actor=actor, status=status,
                                        owner=owner, note=note)


@transaction.atomic
def insight_answer(*, insight: Insight, actor: User, status: str, note: str = "") -> Insight:
    """The owner (or a co-champion, or a manager) moves the insight on: acknowledged,
    acted on, or closed; acting on or closing it needs a note saying what was done. The
    first answer stops the 24-hour clock. The person who logged it is told."""
    insight = Insight.objects.select_for_update(of=("self",)).select_related("author").get(
        pk=insight.pk)
    if not can_answer_insight(actor, insight):
        raise PermissionDenied
    if status not in Insight.NEXT[insight.status]:
        raise ValidationError(_("This insight is “%(now)s” and cannot become “%(next)s”.") % {
            "now": insight.get_status_display(), "next": InsightStatus(status).label
            if status in InsightStatus.values else status})
    note = (note or "").strip()
    if status in (InsightStatus.ACTED_ON, InsightStatus.CLOSED) and not note:
        raise ValidationError(_("Say what was done: the person who logged it reads this "
                                "note."))
    if len(note) > 2000:
        raise ValidationError(_("The note can be at most 2000 characters."))
    insight.status = status
    if insight.responded_at is None:
        insight.responded_at = timezone.now()
    insight.save(update_fields=["status", "responded_at"])
    _record(insight, actor=actor, status=status, note=note)
    log(instance=insight, action="champions.insight_answer", user=actor,
        data={"status": status})
    notification_create(recipients=[insight.author], actor=actor,
                        verb="champions.insight_answered",
                        params=_insight_params(insight, status=status, note=note[:500],
                                               by=actor.name))
    return insight


@transaction.atomic
def insight_reassign(*, insight: Insight, actor: User, owner: User, note: str = "") -> Insight:
    """Hand the insight to someone better placed to answer it; the clock keeps running."""
    insight = Insight.objects.select_for_update(of=("self",)).get(pk=insight.pk)
    if not can_reassign_insight(actor, insight):
        raise PermissionDenied
    if not owner.is_active:
        raise ValidationError(_("Choose a colleague who can still sign in."))
    if owner.pk == insight.owner_id:
        raise ValidationError(_("%(name)s already owns this insight.") % {"name": owner.name})
    note = (note or "").strip()[:2000]
    insight.owner = owner
    insight.save(update_fields=["owner"])
    _record(insight, actor=actor, status=insight.status, owner=owner, note=note)
    log(instance=insight, action="champions.insight_reassign", user=actor,
        data={"owner": owner.pk})
    _tell_owner(insight, actor=actor)
    return insight


@transaction.atomic
def insight_link_idea(*, insight: Insight, idea: Idea, actor: User) -> Insight:
    """An insight became this idea: the two point at each other (insight.idea, and the
    idea page's customer evidence), and the person who logged it is told."""
    from .permissions import can_turn_into_idea

    insight = Insight.objects.select_for_update().get(pk=insight.pk)
    if not can_turn_into_idea(actor, insight):
        raise ValidationError(_("This insight already led to an idea."))
    if not idea_permissions.can_view(actor, idea):
        raise PermissionDenied
    insight.idea = idea
    insight.status = InsightStatus.IDEA
    insight.responded_at = insight.responded_at or timezone.now()
    insight.save(update_fields=["idea", "status", "responded_at"])
    _record(insight, actor=actor, status=InsightStatus.IDEA)
    log(instance=insight, action="champions.insight_to_idea", user=actor,
        data={"idea": idea.pk})
    if insight.author_id != actor.pk:
        notification_create(recipients=[insight.author], actor=actor,
                            verb="champions.insight_to_idea",
                            params={"insight": insight.pk, "idea": idea.pk,
                                    "title": idea.title, "by": actor.name})
    return insight


def term_end_expired(*, today: date) -> int:
    """End every term whose last day is before `today` (each in its own transaction) and
    keep the Champion role in step with the terms as of `today`. Returns how many ended."""
    ended, people = 0, {}
    for term in Term.objects.filter(ended_on__isnull=True, ends_on__lt=today):
        renewed = Term.objects.filter(renewed_from=term).exists()
        term_end(term=term, actor=None, reason=_("Renewed") if renewed else _("Term expired"),
                 on=term.ends_on)
        people[term.person_id] = term.person
        ended += 1
    # The role follows the terms as of `today`: a renewal or a term that starts today
    # gives (or keeps) the role, whatever day term_end's own sync assumed.
    starting = User.objects.filter(champion_terms__in=Term.objects.active(today)).exclude(
        groups__name=roles.CHAMPION).distinct()
    people.update((person.pk, person) for person in starting)
    for person in people.values():
        champion_role_sync(person=person, on=today)
    return ended


def term_remind_ending(*, today: date) -> int:
    """Remind each champion (and the programme admins) once, as their term enters the
    ending-soon window (Term.ENDING_SOON_DAYS); renewed terms need no reminder. Once per
    term and end date (notification_create's once_key): a term extended to a new end
    date is reminded again when that one nears. Returns how many terms were reminded."""
    reminded = 0
    admins = list(Group.objects.get(name=roles.PROGRAMME_ADMIN).user_set.filter(is_active=True))
    due = (Term.objects.active(today)
           .filter(ends_on__lte=Term.ending_soon_until(today), renewal__isnull=True)
           .select_related("person", "department"))
    for term in due:
        with transaction.atomic():
            reminded += bool(notification_create(
                recipients=[term.person, *admins], verb="champions.term_ending",
                params={"person": term.person_id, "person_name": term.person.name,
                        "department": term.department.name,
                        "ends_on": term.ends_on.isoformat()},
                once_key=term_ending_key(term)))
    return reminded


def term_ending_key(term: Term) -> str:
    return f"champions.term_ending:{term.pk}:{term.ends_on.isoformat()}"


def term_run_daily(*, today: date | None = None) -> dict:
    """The daily job: end expired terms, then remind those ending soon. Idempotent:
    running it twice on the same day changes nothing more."""
    today = today or timezone.localdate()
    return {"ended": term_end_expired(today=today), "reminded": term_remind_ending(today=today)}


# The clock escalates insights whose target passed within this many days.
ESCALATE_WITHIN_DAYS = 7


def insight_run_clock(*, now: datetime | None = None) -> dict:
    """The insights' clock (every quarter hour): remind the owner of an unanswered
    insight once as its target nears, and tell the programme admins (and the owner)
    once when it passes. Unowned insights remind the programme admins. Only insights
    whose target passed within ESCALATE_WITHIN_DAYS are escalated, so the scan stays
    small and old history does not flood anyone. Idempotent (once_key)."""
    now = now or timezone.now()
    admins = list(Group.objects.get(name=roles.PROGRAMME_ADMIN).user_set.filter(is_active=True))
    waiting = Insight.objects.filter(status=InsightStatus.NEW).select_related("owner")
    reminded = escalated = 0
    soon = waiting.filter(respond_by__gt=now,
                          respond_by__lte=now + timedelta(hours=Insight.REMIND_BEFORE_HOURS))
    for insight in soon:
        with transaction.atomic():
            reminded += bool(notification_create(
                recipients=[insight.owner] if insight.owner else admins,
                verb="champions.insight_due", params=_insight_params(insight),
                once_key=f"champions.insight_due:{insight.pk}"))
    late = waiting.filter(respond_by__lte=now,
                          respond_by__gt=now - timedelta(days=ESCALATE_WITHIN_DAYS))
    for insight in late:
        with transaction.atomic():
            escalated += bool(notification_create(
                recipients=[*admins, insight.owner], verb="champions.insight_overdue",
                params=_insight_params(insight, owner=insight.owner.name if insight.owner
                                       else ""),
                once_key=f"champions.insight_overdue:{insight.pk}"))
    return {"reminded": reminded, "escalated": escalated}



# --- Pulse surveys ----------------------------------------------------------------------

def _next_round_date(survey: PulseSurvey, number: int) -> date | None:
    """The day round `number` (1-based) opens, or None if the schedule has no such round."""
    if number == 1:
        return survey.starts_on
    step = {PulseSurvey.Schedule.WEEKLY: relativedelta(weeks=1),
            PulseSurvey.Schedule.MONTHLY: relativedelta(months=1),
            PulseSurvey.Schedule.QUARTERLY: relativedelta(months=3)}.get(survey.schedule)
    return survey.starts_on + step * (number - 1) if step else None


def pulse_audience(survey: PulseSurvey):
    people = User.objects.filter(is_active=True)
    departments = list(survey.departments.all())
    return people.filter(department__in=departments) if departments else people


def pulse_open_due_rounds(*, now: datetime | None = None) -> int:
    """The schedule (beat, hourly): open each active survey's round that is due, once
    (the unique round number holds that under concurrent runs), and tell its audience.
    A round missed for days opens once, not once per missed step. Returns how many
    rounds were opened."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    opened = 0
    for survey in PulseSurvey.objects.filter(is_active=True, starts_on__lte=today):
        last = survey.rounds.order_by("-number").first()
        number = (last.number if last else 0) + 1
        due = _next_round_date(survey, number)
        if due is None or due > today:
            continue
        # Skip to the latest step already due, so a paused schedule does not catch up.
        while (following := _next_round_date(survey, number + 1)) and following <= today:
            number += 1
        closes = timezone.make_aware(datetime.combine(
            add_working_days(today, survey.round_days), datetime.max.time()))
        try:
            with transaction.atomic():
                pulse_round = PulseRound.objects.create(survey=survey, number=number,
                                                        opens_at=now, closes_at=closes)
                # Customers are reached through the links the programme sends itself:
                # its admins are told to make them; employees are asked directly.
                customers = survey.audience == PulseSurvey.Audience.CUSTOMERS
                notification_create(
                    recipients=(User.objects.filter(groups__name=roles.PROGRAMME_ADMIN,
                                                    is_active=True)
                                if customers else pulse_audience(survey)),
                    verb="champions.pulse_open",
                    params={"round": pulse_round.pk, "title": survey.title,
                            "closes_at": closes.isoformat(),
                            **({"customers": True} if customers else {})},
                    once_key=f"champions.pulse:{pulse_round.pk}")
        except IntegrityError:
            continue  # another scheduler opened it meanwhile
        opened += 1
    return opened


def pulse_respondent_key(pulse_round: PulseRound, person: User) -> str:
    """Who answered, as a keyed hash: the same person and round give the same key, and
    without the secret key nobody can tell whose it is."""
    message = f"pulse:{pulse_round.pk}:{person.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _clean_answer(question: PulseQuestion, raw) -> dict | None:
    """The stored form of one answer, or None if left empty; ValidationError if bad."""
    raw = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    raw = raw.strip()
    if not raw:
        return None
    if question.scale:
        low, high = question.scale
        if not (raw.isascii() and raw.isdecimal()) or not low <= int(raw) <= high:
            raise ValidationError(_("“%(q)s”: choose a number from %(low)s to %(high)s.") % {
                "q": question.text, "low": low, "high": high})
        return {"value": int(raw)}
    if question.kind == PulseQuestion.Kind.CHOICE:
        if raw not in question.choice_list:
            raise ValidationError(_("“%(q)s”: choose one of the choices.") % {
                "q": question.text})
        return {"choice": raw}
    if len(raw) > 2000:
        raise ValidationError(_("“%(q)s”: at most 2000 characters.") % {"q": question.text})
    return {"text": raw}


def _clean_answers(survey: PulseSurvey, answers: dict) -> dict:
    """{question: stored answer} for the answered questions; at least one is needed."""
    cleaned = {}
    for question in survey.questions.all():
        answer = _clean_answer(question, answers.get(question.pk))
        if answer is not None:
            cleaned[question] = answer
    if not cleaned:
        raise ValidationError(_("Answer at least one question."))
    return cleaned


@transaction.atomic
def pulse_respond(*, pulse_round: PulseRound, person: User, answers: dict) -> PulseResponse:
    """Record one person's answers to an open round, once. `answers` maps question ids to
    what was typed or chosen; at least one must be answered."""
    from .permissions import can_answer_pulse

    pulse_round = PulseRound.objects.select_related("survey").get(pk=pulse_round.pk)
    if not can_answer_pulse(person, pulse_round):
        raise PermissionDenied(_("This pulse is closed or not meant for you."))
    survey = pulse_round.survey
    cleaned = _clean_answers(survey, answers)
    try:
        with transaction.atomic():
            response = PulseResponse.objects.create(
                round=pulse_round, respondent_key=pulse_respondent_key(pulse_round, person),
                respondent=None if survey.anonymous else person,
                department=person.department)
    except IntegrityError:
        raise ValidationError(_("You have already answered this pulse. Thank you!")) from None
    PulseAnswer.objects.bulk_create([PulseAnswer(response=response, question=question, **a)
                                     for question, a in cleaned.items()])
    return response


@transaction.atomic
def pulse_answer_to_insight(*, answer: PulseAnswer, actor: User) -> Insight:
    """A free-text answer becomes a customer insight, logged by the champion who read it
    (the answer's author stays anonymous); once per answer."""
    from .permissions import can_see_pulse_results

    if not can_see_pulse_results(actor):
        raise PermissionDenied
    answer = PulseAnswer.objects.select_for_update().select_related(
        "response__round__survey").get(pk=answer.pk)
    if answer.insight_id is not None:
        raise ValidationError(_("This answer is already an insight."))
    if not answer.text:
        raise ValidationError(_("Only a written answer can become an insight."))
    insight = insight_create(author=actor, text=answer.text[:1000], sentiment="neutral",
                             tags=[answer.response.round.survey.title[:100]])
    answer.insight = insight
    answer.save(update_fields=["insight"])
    log(instance=insight, action="champions.pulse_to_insight", user=actor,
        data={"answer": answer.pk})
    return insight


# At most this many links are made at once (a mailing in batches).
MAX_PULSE_LINKS = 500


@transaction.atomic
def pulse_links_create(*, pulse_round: PulseRound, actor: User, count: int) -> list[PulseLink]:
    """Single-use links for a customer pulse's round, for the programme to send through
    its own channels (a CRM mailing, a receipt, an SMS)."""
    from .permissions import can_see_pulse_results

    if not can_see_pulse_results(actor):
        raise PermissionDenied
    pulse_round = PulseRound.objects.select_related("survey").get(pk=pulse_round.pk)
    if pulse_round.survey.audience != PulseSurvey.Audience.CUSTOMERS:
        raise ValidationError(_("Links are for pulses asked of customers."))
    if not pulse_round.is_open:
        raise ValidationError(_("This round is closed: links to it could not be answered."))
    if not 1 <= count <= MAX_PULSE_LINKS:
        raise ValidationError(_("Make from 1 to %(n)s links at a time.") % {
            "n": MAX_PULSE_LINKS})
    links = PulseLink.objects.bulk_create([
        PulseLink(round=pulse_round, token=secrets.token_urlsafe(32)) for _n in range(count)])
    log(instance=pulse_round.survey, action="champions.pulse_links", user=actor,
        data={"round": pulse_round.pk, "count": count})
    return links


def pulse_link_key(token: str) -> str:
    return "link:" + hashlib.sha256(token.encode()).hexdigest()[:59]


@transaction.atomic
def pulse_respond_by_link(*, token: str, answers: dict) -> PulseResponse:
    """A customer answers through their link: once (the link is locked, then marked
    used), while the round is open. Nothing about the customer is kept."""
    link = (PulseLink.objects.select_for_update().select_related("round__survey")
            .filter(token=token).first())
    if link is None or link.round.survey.audience != PulseSurvey.Audience.CUSTOMERS:
        raise PermissionDenied
    if link.used_at is not None:
        raise ValidationError(_("This link has already been used. Thank you!"))
    pulse_round = link.round
    if not pulse_round.is_open:
        raise ValidationError(_("This survey is closed. Thank you all the same!"))
    cleaned = _clean_answers(pulse_round.survey, answers)
    response = PulseResponse.objects.create(round=pulse_round,
                                            respondent_key=pulse_link_key(token))
    PulseAnswer.objects.bulk_create([PulseAnswer(response=response, question=question, **a)
                                     for question, a in cleaned.items()])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return response
