from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import OnboardingPath


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    actions.register_action("training.enrol", _("Enrol"), _("Enrolled"))
    actions.register_action("training.complete", _("Complete module"), _("Module completed"))


class OnboardingPathViewSet(SnippetViewSet):
    model = OnboardingPath
    icon = "list-ol"
    menu_label = _("Onboarding paths")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name", "description"]


register_snippet(OnboardingPathViewSet)


@hooks.register("intranet_home_panels")
def onboarding_home_panel(request):
    from . import selectors

    data = selectors.my_onboarding(user=request.user)
    if not data["rows"]:
        return []
    return [{"template": "training/includes/home_onboarding.html", "order": 5, **data}]
