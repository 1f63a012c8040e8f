"""Wagtail admin views the intranet replaces, at Wagtail's own paths and URL names.
portal.urls routes "admin/" here before Wagtail's admin, so these answer first; every
other admin path falls through to Wagtail. Each view keeps Wagtail's admin-access check
and its no-cache rule."""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access

from ideas.admin_access import tag_autocomplete

from .admin_views import PageTypesUsageReportView


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
