"""Wagtail admin views the intranet replaces: each keeps Wagtail's behaviour and leaves
out what it showed people who may not see it. Routed by portal.admin_urls, or used by
the page viewsets registered in the wagtail_hooks modules."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.pages.workflow import PreviewRevisionForTaskView
from wagtail.admin.views.reports.page_types_usage import (
    PageTypesUsageReportView as WagtailPageTypesUsageReportView,
)
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page
from wagtail.permissions import page_permission_policy


class PageTypesUsageReportView(WagtailPageTypesUsageReportView):
    """Wagtail's report names the last edited page of every page type to anyone who may
    add pages anywhere: champions read the titles of unpublished onboarding modules.
    Only pages the person may edit are named."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        for item in page_types:
            page = item.last_edited_page
            if page is not None and not page.permissions_for_user(
                    self.request.user).can_edit():
                item.last_edited_page = None
        return page_types


class WorkflowPreviewView(PreviewRevisionForTaskView):
    """Wagtail's answer for a page that is not awaiting moderation names the page in its
    error message, to anyone with admin access who tries its id: reviewers read titles
    of unpublished onboarding modules that way. Only people who may edit or publish the
    page (moderators of its current task included) get past here."""

    def get(self, request, *args, **kwargs):
        perms = self.object.permissions_for_user(request.user)
        if not (perms.can_edit() or perms.can_publish()):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)


class IntranetPageViewSet(PageViewSet):
    """The page admin for every page type: Wagtail's, with the views above."""

    workflow_preview_view_class = WorkflowPreviewView


class PageChooserBrowseView(BrowseView):
    """Wagtail's page chooser filters the pages it lists (construct_page_chooser_queryset
    in portal.wagtail_hooks) but shows the page being browsed as it is: opening an
    unpublished onboarding module's id showed its title to anyone with admin access.
    An unpublished page is browsed only by people who may work on it."""

    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            page = get_object_or_404(Page, id=parent_page_id)
            if not page.live and not page_permission_policy.user_has_any_permission_for_instance(
                    request.user, {"add", "change", "publish"}, page):
                raise Http404
        return super().get(request, parent_page_id)


def objects_still_used(instances) -> dict:
    """What keeps these from being deleted: {model: count} of the records that protect
    them (on_delete=PROTECT or RESTRICT), found the way Django's delete would."""
    collector = Collector(using=router.db_for_write(type(instances[0])))
    try:
        collector.collect(instances)
    except ProtectedError as error:
        blocking = error.protected_objects
    except RestrictedError as error:
        blocking = error.restricted_objects
    else:
        return {}
    return Counter(type(obj) for obj in blocking)


def refuse_deleting_what_is_used(request, instances, message, next_url):
    """Say what still uses these (ideas in a stage, a person's ideas) instead of the 500
    (ProtectedError) Wagtail answered when it tried the delete. Returns a refusal, or
    None when nothing protects them."""
    uses = objects_still_used(list(instances)) if instances else {}
    if not uses:
        return None
    messages.error(request, message % {"uses": ", ".join(
        f"{used._meta.verbose_name_plural}: {count}" for used, count in uses.items())})
    return redirect(next_url)
