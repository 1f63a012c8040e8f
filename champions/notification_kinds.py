"""What the champions app tells people; rendered in the reader's language."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.kinds import NotificationKind, kinds, show_date


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
