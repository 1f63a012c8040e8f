"""What the ideas app tells people; rendered in the reader's language (notifications.kinds)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.kinds import NotificationKind, kinds, show_date, show_number
from shared.fragments import kept


def _idea_link(params: dict) -> str:
    return reverse("ideas:detail", args=[params["idea"]])


def _stage_label(params: dict) -> str:
    """The stage's name in the reader's language, from the stage itself (its
    translations may have been added since). Events recorded before stages were
    translatable, or whose stage was deleted, carry only the English name: the catalogue
    translates the default pipeline's."""
    from .models import Stage

    stages = kept("ideas.stages_by_id", lambda: {s.pk: s for s in Stage.objects.all()})
    stage = stages.get(params.get("stage_id"))
    return stage.label if stage is not None else _(params["stage"])


def _queue_link(**filters: str) -> str:
    return f"{reverse('ideas:queue')}?{urlencode(filters)}"


@kinds.register
class IdeaDecided(NotificationKind):
    """An idea moved to another stage: its submitter and followers hear of it."""

    verb = "ideas.decision"
    topic = "ideas"

    def title(self, params):
        return _("“%(title)s” moved to %(stage)s") % {"title": params["title"],
                                                      "stage": _stage_label(params)}

    def body(self, params):
        parts = [params.get("reason") or ""]
        if params.get("original"):
            parts.append(_("The original idea: %(title)s") % {"title": params["original"]})
        return "\n\n".join(p for p in parts if p)

    def link(self, params):
        return _idea_link(params)


@kinds.register
class IdeasAssigned(NotificationKind):
    verb = "ideas.assigned"
    topic = "review"

    def title(self, params):
        return _("%(n)s idea(s) assigned to you for review") % {"n": show_number(params["count"])}

    def link(self, params):
        return _queue_link(assignee="me")


@kinds.register
class IdeaSponsored(NotificationKind):
    """A programme admin made someone the idea's owner (sponsor)."""

    verb = "ideas.sponsor"
    topic = "ideas"

    def title(self, params):
        return _("You now own the idea “%(title)s”") % {"title": params["title"]}

    def link(self, params):
        return _idea_link(params)


@kinds.register
class IdeaSponsoredByChampion(NotificationKind):
    """A customer champion took an idea on: its submitter hears who."""

    verb = "ideas.champion_sponsor"
    topic = "ideas"

    def title(self, params):
        return (_("%(name)s, a customer champion, now sponsors your idea “%(title)s”")
                % {"name": params["champion"], "title": params["title"]})

    def link(self, params):
        return _idea_link(params)


@kinds.register
class ReviewsOverdue(NotificationKind):
    """The daily reminder: to a reviewer about their overdue ideas, or to programme
    admins about overdue ideas nobody reviews (`unassigned`)."""

    verb = "ideas.overdue_reminder"
    topic = "review"

    def title(self, params):
        if params.get("unassigned"):
            return _("%(n)s overdue idea(s) have no reviewer") % {"n": show_number(params["count"])}
        return _("%(n)s idea(s) assigned to you are overdue") % {"n": show_number(params["count"])}

    def body(self, params):
        if params.get("unassigned"):
            return _("Assign them so every submitter hears back.")
        return _("Customers are waiting for an answer. Open your review queue.")

    def link(self, params):
        return _queue_link(assignee="none" if params.get("unassigned") else "me",
                           overdue="on")


@kinds.register
class CampaignLaunched(NotificationKind):
    """A campaign opened: the people in its audience are asked."""

    verb = "ideas.campaign_launched"
    topic = "ideas"

    def title(self, params):
        return _("A campaign asks for your ideas: “%(question)s”") % {
            "question": params["question"]}

    def body(self, params):
        return _("It takes ideas until %(date)s.") % {"date": show_date(params["closes_on"])}

    def link(self, params):
        return params["path"]


@kinds.register
class CampaignClosing(NotificationKind):
    """A few days before a campaign closes, its audience is reminded once."""

    verb = "ideas.campaign_closing"
    topic = "ideas"

    def title(self, params):
        return _("“%(question)s” closes on %(date)s: share your idea before then") % {
            "question": params["question"], "date": show_date(params["closes_on"])}

    def link(self, params):
        return params["path"]


@kinds.register
class CampaignResults(NotificationKind):
    """The sponsor published what the campaign decided: its contributors are told."""

    verb = "ideas.campaign_results"
    topic = "ideas"

    def title(self, params):
        return _("The results of “%(question)s” are published") % {
            "question": params["question"]}

    def link(self, params):
        return params["path"]


@kinds.register
class ImpactDue(NotificationKind):
    """An implemented idea has no measured impact yet: its owner is asked for it."""

    verb = "ideas.impact_due"
    topic = "ideas"

    def title(self, params):
        return _("What did “%(title)s” change for customers?") % {"title": params["title"]}

    def body(self, params):
        return _("It was implemented %(days)s working days ago. Record its baseline and "
                 "measured result on the idea page, so the programme can show what it "
                 "changed.") % {"days": show_number(params["days"])}

    def link(self, params):
        return f"{_idea_link(params)}#impact"


@kinds.register
class CoauthorInvited(NotificationKind):
    verb = "ideas.coauthor_invited"
    topic = "ideas"

    def title(self, params):
        return _("%(name)s invites you to co-author “%(title)s”") % {
            "name": params["by"], "title": params["title"]}

    def body(self, params):
        return _("Accept to be credited with the idea wherever its submitter is, or "
                 "decline; both on the idea page.")

    def link(self, params):
        return f"{_idea_link(params)}#contributors"


@kinds.register
class CoauthorAnswered(NotificationKind):
    verb = "ideas.coauthor_answered"
    topic = "ideas"

    def title(self, params):
        if params["accepted"]:
            return _("%(name)s is now a co-author of “%(title)s”") % {
                "name": params["by"], "title": params["title"]}
        return _("%(name)s declined to co-author “%(title)s”") % {
            "name": params["by"], "title": params["title"]}

    def link(self, params):
        return f"{_idea_link(params)}#contributors"


@kinds.register
class Thanked(NotificationKind):
    """Someone thanked the contributors of an idea."""

    verb = "ideas.thanked"
    topic = "ideas"

    def title(self, params):
        return _("%(name)s thanked you for “%(title)s”") % {
            "name": params["by"], "title": params["title"]}

    def body(self, params):
        return params["note"]

    def link(self, params):
        return f"{_idea_link(params)}#thanks"


@kinds.register
class QuestionsMissing(NotificationKind):
    """A reviewer found the idea does not yet answer one of Amazon's two questions."""

    verb = "ideas.questions_missing"
    topic = "ideas"

    def title(self, params):
        return _("Your idea “%(title)s” needs more about the customer") % {
            "title": params["title"]}

    def body(self, params):
        from .models import TWO_QUESTIONS

        missing = set(params.get("missing", ()))
        return " ".join(str(label) for field, label in TWO_QUESTIONS if field in missing)

    def link(self, params):
        return f"{_idea_link(params)}#questions"
