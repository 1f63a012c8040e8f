from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Insight, PulseSurvey


@hooks.register("register_log_actions")
def register_champion_log_actions(actions):
    for action, label in [
        ("champions.nominate", _("Nominate champion")),
        ("champions.nomination_approve", _("Approve nomination")),
        ("champions.nomination_decline", _("Decline nomination")),
        ("champions.term_start", _("Start champion term")),
        ("champions.term_end", _("End champion term")),
        ("champions.insight_to_idea", _("Turn insight into idea")),
        ("champions.insight_answer", _("Answer customer insight")),
        ("champions.insight_reassign", _("Hand over customer insight")),
        ("champions.pulse_to_insight", _("Log pulse answer as insight")),
        ("champions.pulse_links", _("Make customer pulse links")),
    ]:
        actions.register_action(action, label, label)


@hooks.register("visible_tag_ids")
def insight_tags(user):
    """Insights are read by everyone, so their tags may be suggested to anyone."""
    from .models import TaggedInsight

    return TaggedInsight.objects.values("tag_id")


# The latest insights are the same for everyone: the home page reads them from the shared
# cache, forgotten when an insight is saved or deleted (and after HOME_INSIGHTS_SECONDS in
# any case, e.g. for an author's new name).
HOME_INSIGHTS_KEY = "champions:home-insights"
HOME_INSIGHTS_SECONDS = 300


@hooks.register("intranet_home_panels")
def champion_home_panels(request):
    from django.core.cache import cache

    from . import selectors

    insights = cache.get(HOME_INSIGHTS_KEY)
    if insights is None:
        insights = [{"text": i.text, "author": i.author.name}
                    for i in selectors.insight_feed().prefetch_related(None)[:4]]
        cache.set(HOME_INSIGHTS_KEY, insights, HOME_INSIGHTS_SECONDS)
    return [{"template": "champions/includes/home_insights.html", "order": 30,
             "insights": insights}]


def _forget_home_insights(**kwargs):
    from django.core.cache import cache

    cache.delete(HOME_INSIGHTS_KEY)


post_save.connect(_forget_home_insights, sender=Insight, dispatch_uid="champions:home-insights")
post_delete.connect(_forget_home_insights, sender=Insight,
                    dispatch_uid="champions:home-insights:deleted")


class InsightViewSet(SnippetViewSet):
    """Insights are written in the intranet; the admin lists them so champions can pick
    them into a newsletter issue."""

    model = Insight
    icon = "openquote"
    menu_label = _("Customer insights")
    add_to_admin_menu = False
    list_display = ["text", "author", "owner", "status", "respond_by", "created_at"]
    list_filter = ["status", "sentiment", "customer_segment", "department"]
    search_fields = ["text"]
    ordering = ["-created_at"]


register_snippet(InsightViewSet)


class PulseSurveyViewSet(SnippetViewSet):
    """Programme admins set up pulse surveys; rounds open on their schedule
    (champions.pulse_rounds) and results are read in the intranet."""

    model = PulseSurvey
    icon = "list-ul"
    menu_label = _("Pulse surveys")
    add_to_admin_menu = False
    list_display = ["title", "schedule", "starts_on", "anonymous", "is_active"]
    list_filter = ["schedule", "anonymous", "is_active"]
    search_fields = ["title"]


register_snippet(PulseSurveyViewSet)
