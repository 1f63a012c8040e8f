"""What onboarding tells people; rendered in the reader's language."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.kinds import NotificationKind, kinds, show_date, show_number


@kinds.register
class Enrolled(NotificationKind):
    verb = "training.enrolled"
    topic = "training"

    def title(self, params):
        return _("Your onboarding: %(path)s") % {"path": params["path"]}

    def body(self, params):
        return (_("%(n)s module(s) about our customers' lives are waiting for you.")
                % {"n": show_number(params["count"])})

    def link(self, params):
        return reverse("training:my_onboarding")


@kinds.register
class ModuleChanged(NotificationKind):
    """A module changed after people completed it: they are asked to review it."""

    verb = "training.review"
    topic = "training"

    def title(self, params):
        return _("“%(m)s” has changed: please review it again") % {"m": params["module"]}

    def link(self, params):
        # The module page's path (Wagtail routes pages by their place in the tree).
        return params.get("path") or reverse("training:my_onboarding")


@kinds.register
class ModuleDue(NotificationKind):
    verb = "training.due"
    topic = "training"

    def title(self, params):
        names = {"m": params["module"]}
        return _("Overdue: %(m)s") % names if params.get("overdue") else (
            _("Due soon: %(m)s") % names)

    def body(self, params):
        return _("Due on %(d)s.") % {"d": show_date(params["due_on"])}

    def link(self, params):
        return reverse("training:my_onboarding")


@kinds.register
class TeamOverdue(NotificationKind):
    verb = "training.team_overdue"
    topic = "training"

    def title(self, params):
        return _("%(n)s onboarding module(s) overdue in your team") % {
            "n": show_number(params["count"])}

    def link(self, params):
        return reverse("training:team")
