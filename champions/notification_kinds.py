"""What the champions app tells people; rendered in the reader's language."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.kinds import NotificationKind, kinds, show_date, show_datetime


@kinds.register
class ChampionNominated(NotificationKind):
    verb = "champions.nomination"
    topic = "champions"

    def title(self, params):
        return (_("%(name)s was nominated as champion for %(dept)s")
                % {"name": params["nominee"], "dept": params["department"]})

    def body(self, params):
        return params.get("reason", "")

    def link(self, params):
        return reverse("champions:nominations")


@kinds.register
class NominationDecided(NotificationKind):
    verb = "champions.nomination_decision"
    topic = "champions"

    def title(self, params):
        names = {"name": params["nominee"], "dept": params["department"]}
        if params.get("approved"):
            return _("%(name)s is now customer champion for %(dept)s") % names
        return _("The champion nomination of %(name)s for %(dept)s was declined") % names

    def body(self, params):
        return params.get("reason", "")

    def link(self, params):
        if params.get("approved"):
            return reverse("champions:profile", args=[params["person"]])
        return reverse("champions:roster")


@kinds.register
class TermEnding(NotificationKind):
    verb = "champions.term_ending"
    topic = "champions"

    def title(self, params):
        return (_("The champion term of %(name)s for %(dept)s ends on %(date)s")
                % {"name": params["person_name"], "dept": params["department"],
                   "date": show_date(params["ends_on"])})

    def body(self, params):
        return _("Renew it, or hand over to a successor with a note.")

    def link(self, params):
        return reverse("champions:profile", args=[params["person"]])


@kinds.register
class InsightBecameIdea(NotificationKind):
    """The customer insight someone logged was turned into an idea."""

    verb = "champions.insight_to_idea"
    topic = "champions"

    def title(self, params):
        return _("Your customer insight became an idea: “%(title)s”") % {
            "title": params["title"]}

    def body(self, params):
        return _("%(name)s turned it into an idea; follow it to hear of every decision.") % {
            "name": params["by"]}

    def link(self, params):
        return reverse("ideas:detail", args=[params["idea"]])


def _quote(params):
    text = params.get("text", "")
    return text if len(text) < 200 else text + "…"


class InsightKind(NotificationKind):
    """An insight's notifications: its words as the body, its page as the link."""

    topic = "champions"

    def body(self, params):
        return _quote(params)

    def link(self, params):
        return reverse("champions:insight", args=[params["insight"]])


@kinds.register
class InsightAssigned(InsightKind):
    """An insight is theirs to answer."""

    verb = "champions.insight_assigned"

    def title(self, params):
        if params.get("respond_by"):
            return _("A customer insight is yours to answer by %(when)s") % {
                "when": show_datetime(params["respond_by"])}
        return _("A customer insight is yours to answer")


@kinds.register
class InsightAnswered(InsightKind):
    """The person who logged an insight hears what was done."""

    verb = "champions.insight_answered"

    def title(self, params):
        from .models import InsightStatus

        status = params.get("status")
        label = InsightStatus(status).label if status in InsightStatus.values else status
        return _("Your customer insight is now “%(status)s” (%(name)s)") % {
            "status": label, "name": params.get("by", "")}

    def body(self, params):
        return params.get("note") or _quote(params)


@kinds.register
class InsightDue(InsightKind):
    verb = "champions.insight_due"

    def title(self, params):
        return _("A customer insight waits for an answer by %(when)s") % {
            "when": show_datetime(params["respond_by"])}


@kinds.register
class InsightOverdue(InsightKind):
    verb = "champions.insight_overdue"

    def title(self, params):
        if params.get("owner"):
            return _("A customer insight owned by %(name)s was not answered by %(when)s") % {
                "name": params["owner"], "when": show_datetime(params["respond_by"])}
        return _("A customer insight nobody owns was not answered by %(when)s") % {
            "when": show_datetime(params["respond_by"])}


@kinds.register
class PulseOpen(NotificationKind):
    verb = "champions.pulse_open"
    topic = "champions"

    def title(self, params):
        if params.get("customers"):
            return _("A customer pulse round opened: “%(title)s”") % {"title": params["title"]}
        return _("A pulse survey is open: “%(title)s”") % {"title": params["title"]}

    def body(self, params):
        if params.get("customers"):
            return _("Make its single-use links on the results page and send them to "
                     "customers before %(when)s.") % {
                "when": show_datetime(params["closes_at"])}
        return _("A few questions, open until %(when)s.") % {
            "when": show_datetime(params["closes_at"])}

    def link(self, params):
        if params.get("customers"):
            return reverse("champions:pulse_results", args=[params["round"]])
        return reverse("champions:pulse_answer", args=[params["round"]])
