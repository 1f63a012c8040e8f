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


# The home page's panels cost a fixed handful of queries whatever the number of ideas:
# the review figures in one aggregate, the stages from the shared cache.
HOME_STAGES_SECONDS = 300


@hooks.register("intranet_home_panels")
def idea_home_panels(request):
    from . import permissions, selectors

    user = request.user
    panels = []
    if permissions.can_review(user):
        panels.append({"template": "ideas/includes/home_review.html", "order": 10,
                       **_home_review(user)})
    panels.append({"template": "ideas/includes/home_changes.html", "order": 20,
                   "changes": _home_changes(user)})
    panels.append({"template": "ideas/includes/home_implemented.html", "order": 40,
                   "ideas": selectors.recently_implemented(user=user)})
    return panels


def _home_stages() -> list[Stage]:
    """Every stage, from the shared cache while no vocabulary changes (saving or deleting
    a stage changes shared.fragments.vocabulary_version(), so a new key is read)."""
    from django.core.cache import cache

    from shared.fragments import vocabulary_version

    key = f"ideas:home-stages:{vocabulary_version()}"
    stages = cache.get(key)
    if stages is None:
        stages = list(Stage.objects.all())
        cache.set(key, stages, HOME_STAGES_SECONDS)
    return stages


def _home_review(user) -> dict:
    """selectors.review_queue() and selectors.overdue_q() over the cached stages: the
    reviewer's next ideas, and the three counts in one aggregate."""
    from datetime import datetime, time

    from django.db.models import Count, Q
    from django.utils import timezone

    from shared.workdays import current_holidays, overdue_cutoff

    from . import selectors

    stages = _home_stages()
    today = timezone.localdate()
    holidays, default = current_holidays(), selectors.default_response_target()
    overdue = Q()
    for stage in stages:
        target = selectors.stage_target(stage, default)
        if target is not None:
            end = timezone.make_aware(datetime.combine(
                overdue_cutoff(today, target, holidays=holidays), time.max))
            overdue |= Q(stage=stage, stage_entered_at__lte=end)
    queue = (selectors.visible_ideas(user)
             .filter(stage__in=[s.pk for s in stages if not s.is_closed])
             .exclude(submitter=user))
    counts = queue.aggregate(
        assigned_count=Count("pk", filter=Q(assignee=user)),
        # Ideas nobody has picked up yet wait for every reviewer.
        unassigned_count=Count("pk", filter=Q(assignee__isnull=True)),
        **({"overdue_count": Count("pk", filter=overdue)} if overdue else {}))
    ideas = list(queue.filter(assignee=user).only("pk", "title")
                 .order_by("stage_entered_at", "pk")[:5])
    return {"ideas": ideas, "overdue_count": 0, **counts}


def _home_changes(user, limit: int = 6) -> list:
    """selectors.recent_changes_for() in one query: the person's ideas (submitted or
    followed) as a UNION of two indexed lookups, not an OR over a join."""
    from . import selectors
    from .models import Follow, Idea, Transition

    theirs = (Idea.objects.filter(submitter=user).order_by().values("pk")
              .union(Follow.objects.filter(user=user).order_by().values("idea_id")))
    ideas = selectors.visible_ideas(user).filter(pk__in=theirs)
    return list(Transition.objects.filter(idea__in=ideas.values("pk"), from_stage__isnull=False)
                .select_related("idea", "to_stage")
                .defer(*(f"idea__{name}" for name in selectors.ROW_DEFERRED))
                .order_by("-created_at")[:limit])


@hooks.register("register_admin_viewset")
def register_decided_idea_chooser():
    from .chooser import decided_idea_chooser_viewset

    return decided_idea_chooser_viewset
