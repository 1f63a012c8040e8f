"""What the Wagtail admin may show of ideas. Wagtail decides per content type (anyone
with a permission on ideas sees every idea's log entries, every tag in one shared tag
table); ideas are private per idea (drafts to their author, confidential ones to those
allowed), so these narrow Wagtail's answers to the ideas the person could open."""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, JsonResponse
from taggit.models import Tag, TaggedItem
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT

from .models import Idea, TaggedIdea
from .selectors import viewable_ideas


def without_unseen_ideas(viewable_by_user):
    """Wrap Wagtail's ModelLogEntryManager.viewable_by_user (site history, its CSV export
    and its filters' choices all ask it) so entries of ideas the person cannot open
    (someone else's draft, a confidential idea) are left out, whatever their role."""

    @functools.wraps(viewable_by_user)
    def viewable_log_entries(manager, user):
        entries = viewable_by_user(manager, user)
        seen = viewable_ideas(user).annotate(key=Cast("pk", CharField())).values("key")
        return entries.exclude(Q(content_type=ContentType.objects.get_for_model(Idea))
                               & ~Q(object_id__in=seen))

    viewable_log_entries.hides_unseen_ideas = True
    return viewable_log_entries


def visible_tags(user) -> QuerySet[Tag]:
    """Tags the admin's tag fields may suggest: those on images and documents (Wagtail
    tags them through taggit's TaggedItem), on ideas the person could open, and those
    other apps vouch for through the "visible_tag_ids" hook (a callable taking the user
    and returning a queryset of tag ids: champions' insights, which everyone reads).
    Tags found only on other people's drafts or on confidential ideas stay out; a new
    tagged model is not suggested until its app registers the hook."""
    from wagtail import hooks

    visible = (Q(pk__in=TaggedItem.objects.values("tag_id"))
               | Q(pk__in=TaggedIdea.objects.filter(content_object__in=viewable_ideas(user))
                   .values("tag_id")))
    for tag_ids in hooks.get_hooks("visible_tag_ids"):
        visible |= Q(pk__in=tag_ids(user))
    return Tag.objects.filter(visible)


def tag_autocomplete(request, app_name=None, model_name=None):
    """Stands in for Wagtail's /admin/tag-autocomplete/ (portal.admin_urls routes it
    first), which reads the whole tag table. Same answer: up to ten names, by name."""
    if app_name or model_name:
        # Only taggit's shared Tag model is used here; any other is refused rather than
        # answered from a table nobody has checked for private tags.
        if (app_name, model_name) != (Tag._meta.app_label, Tag._meta.model_name):
            raise Http404
    term = request.GET.get("term", "")[:100]
    names = []
    if term:
        names = list(visible_tags(request.user).filter(name__istartswith=term)
                     .order_by("name").values_list("name", flat=True)
                     .distinct()[:TAGS_AUTOCOMPLETE_LIMIT])
    return JsonResponse(names, safe=False)
