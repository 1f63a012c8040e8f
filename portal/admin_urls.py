"""Wagtail admin views the intranet replaces, at Wagtail's own paths and URL names.
portal.urls routes "admin/" here before Wagtail's admin, so these answer first; every
other admin path falls through to Wagtail. Each view keeps Wagtail's admin-access check
and its no-cache rule."""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access

from ideas.admin_access import tag_autocomplete
from shared import parsing  # noqa: F401 - registers the <id:...> path converter
from shared.admin_settings import setting_entry
from shared.admin_views import PageChooserBrowseView, PageTypesUsageReportView


def admin_view(view):
    return never_cache(require_admin_access(view))


urlpatterns = [
    # Wagtail's offered every tag, those of drafts and confidential ideas too.
    path("tag-autocomplete/", admin_view(tag_autocomplete),
         name="wagtailadmin_tag_autocomplete"),
    path("tag-autocomplete/<slug:app_name>/<slug:model_name>/", admin_view(tag_autocomplete),
         name="wagtailadmin_tag_model_autocomplete"),
    # Wagtail's showed the title of any page whose id was typed in, unpublished or not.
    path("choose-page/<id:parent_page_id>/", admin_view(PageChooserBrowseView.as_view()),
         name="wagtailadmin_choose_page_child"),
    path("reports/page-types-usage/", admin_view(PageTypesUsageReportView.as_view()),
         name="wagtailadmin_reports_page_types_usage"),
    path("reports/page-types-usage/results/",
         admin_view(PageTypesUsageReportView.as_view(results_only=True)),
         name="wagtailadmin_reports_page_types_usage_results"),
    # Wagtail's sent anyone with admin access on to a generic setting's edit page.
    path("settings/<slug:app_name>/<slug:model_name>/", admin_view(setting_entry),
         name="wagtailsettings_entry"),
]
