"""Wagtail admin views the intranet replaces, at Wagtail's own paths and URL names.
portal.urls routes "admin/" here before Wagtail's admin, so these answer first; every
other admin path falls through to Wagtail. Each view keeps Wagtail's admin-access check
and its no-cache rule."""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import (
    PageTypesUsageReportView as WagtailPageTypesUsageReportView,
)

from ideas.admin_access import tag_autocomplete


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


def admin_view(view):
    return never_cache(require_admin_access(view))


urlpatterns = [
    # Wagtail's offered every tag, those of drafts and confidential ideas too.
    path("tag-autocomplete/", admin_view(tag_autocomplete),
         name="wagtailadmin_tag_autocomplete"),
    path("tag-autocomplete/<slug:app_name>/<slug:model_name>/", admin_view(tag_autocomplete),
         name="wagtailadmin_tag_model_autocomplete"),
    path("reports/page-types-usage/", admin_view(PageTypesUsageReportView.as_view()),
         name="wagtailadmin_reports_page_types_usage"),
    path("reports/page-types-usage/results/",
         admin_view(PageTypesUsageReportView.as_view(results_only=True)),
         name="wagtailadmin_reports_page_types_usage_results"),
]
