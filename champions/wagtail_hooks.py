from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Insight


@hooks.register("register_log_actions")
def register_champion_log_actions(actions):
    for action, label in [
        ("champions.nominate", _("Nominate champion")),
        ("champions.nomination_approve", _("Approve nomination")),
        ("champions.nomination_decline", _("Decline nomination")),
        ("champions.term_start", _("Start champion term")),
        ("champions.term_end", _("End champion term")),
    ]:
        actions.register_action(action, label, label)


@hooks.register("visible_tag_ids")
def insight_tags(user):
    """Insights are read by everyone, so their tags may be suggested to anyone."""
    from .models import TaggedInsight

    return TaggedInsight.objects.values("tag_id")


@hooks.register("intranet_home_panels")
def champion_home_panels(request):
    from . import selectors

    return [{"template": "champions/includes/home_insights.html", "order": 30,
             "insights": list(selectors.insight_feed()[:4])}]


class InsightViewSet(SnippetViewSet):
    """Insights are written in the intranet; the admin lists them so champions can pick
    them into a newsletter issue."""

    model = Insight
    icon = "openquote"
    menu_label = _("Customer insights")
    add_to_admin_menu = False
    list_display = ["text", "author", "sentiment", "created_at"]
    list_filter = ["sentiment", "customer_segment", "department"]
    search_fields = ["text"]
    ordering = ["-created_at"]


register_snippet(InsightViewSet)
