from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models.audit_log import ModelLogEntryManager
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_access import without_unseen_ideas
from .models import Stage

# Wagtail shows a log entry to anyone with a permission on its content type, so every
# reviewer saw the titles of other people's drafts in the site history. Wagtail has no
# hook for this; its one visibility method is narrowed here, where the admin loads.
if not getattr(ModelLogEntryManager.viewable_by_user, "hides_unseen_ideas", False):
    ModelLogEntryManager.viewable_by_user = without_unseen_ideas(
        ModelLogEntryManager.viewable_by_user)


@hooks.register("register_log_actions")
def register_idea_log_actions(actions):
    for action, label in [
        ("ideas.submit", _("Submit idea")), ("ideas.withdraw", _("Withdraw idea")),
        ("ideas.transition", _("Move to another stage")), ("ideas.assign", _("Assign reviewer")),
        ("ideas.sponsor", _("Set owner")), ("ideas.comment_hide", _("Hide comment")),
        ("ideas.impact", _("Record measured impact")),
        ("ideas.coauthor_invite", _("Invite co-author")),
        ("ideas.coauthor_answer", _("Answer co-author invitation")),
        ("ideas.coauthor_remove", _("Remove co-author")),
        ("ideas.thank", _("Thank contributors")),
        ("ideas.questions", _("Answer Amazon's two questions")),
    ]:
        actions.register_action(action, label, label)


class StageViewSet(SnippetViewSet):
    """The review pipeline: programme admins configure stages and allowed moves."""

    model = Stage
    icon = "list-ol"
    menu_label = _("Idea stages")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "order", "kind", "reason_required", "response_target_days",
                    "is_initial"]
    list_filter = ["kind"]
    ordering = ["order"]


register_snippet(StageViewSet)


@hooks.register("intranet_home_panels")
def idea_home_panels(request):
    # A fixed handful of queries whatever the number of ideas (ideas.selectors).
    from . import permissions, selectors

    user = request.user
    panels = []
    if permissions.can_review(user):
        panels.append({"template": "ideas/includes/home_review.html", "order": 10,
                       **selectors.review_summary(user=user)})
    panels.append({"template": "ideas/includes/home_changes.html", "order": 20,
                   "changes": selectors.recent_changes_for(user=user)})
    panels.append({"template": "ideas/includes/home_implemented.html", "order": 40,
                   "ideas": selectors.recently_implemented(user=user)})
    campaigns = selectors.open_campaigns_for(user=user)
    if campaigns:
        panels.append({"template": "ideas/includes/home_campaigns.html", "order": 5,
                       "campaigns": campaigns})
    return panels


@hooks.register("register_admin_viewset")
def register_decided_idea_chooser():
    from .chooser import decided_idea_chooser_viewset

    return decided_idea_chooser_viewset
