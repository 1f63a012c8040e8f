from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Channel, CustomerSegment, JourneyStage
from .viewsets import DepartmentViewSet


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    actions.register_action("portal.profile_update", _("Update profile"), _("Profile updated"))
    actions.register_action("portal.roles_change", _("Change roles"), _("Roles changed"))


class CustomerSegmentViewSet(SnippetViewSet):
    model = CustomerSegment
    icon = "user"
    list_display = ["name", "summary"]
    search_fields = ["name", "summary"]


class JourneyStageViewSet(SnippetViewSet):
    model = JourneyStage
    icon = "list-ol"
    list_display = ["name", "order"]
    sort_order_field = "order"


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "site"
    list_display = ["name"]


class CustomerVocabularyGroup(SnippetViewSetGroup):
    """The programme's shared customer vocabulary, used by ideas, insights and lessons."""

    menu_label = _("Customers")
    menu_icon = "group"
    menu_order = 300
    items = (CustomerSegmentViewSet, JourneyStageViewSet, ChannelViewSet)


register_snippet(CustomerVocabularyGroup)
register_snippet(DepartmentViewSet)
