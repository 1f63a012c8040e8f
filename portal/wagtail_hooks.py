import functools

from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from shared.admin_views import IntranetPageViewSet, refuse_deleting_what_is_used
from shared.spreadsheets import csv_cell


def _neutralising_csv(preprocess_field_value):
    @functools.wraps(preprocess_field_value)
    def preprocess(view, field, value, export_format):
        value = preprocess_field_value(view, field, value, export_format)
        return csv_cell(value) if export_format == view.FORMAT_CSV else value

    preprocess.neutralises_csv = True
    return preprocess


# Every CSV the Wagtail admin exports (site history, page and workflow reports, listings)
# goes through this one method, which wrote titles and names as typed: a title such as
# "=HYPERLINK(...)" became a formula. Wagtail has no setting for it, so the method is
# wrapped here (its XLSX export already stores such cells as text).
if not getattr(SpreadsheetExportMixin.preprocess_field_value, "neutralises_csv", False):
    SpreadsheetExportMixin.preprocess_field_value = _neutralising_csv(
        SpreadsheetExportMixin.preprocess_field_value)


@hooks.register("before_delete_snippet")
def refuse_deleting_snippets_still_in_use(request, instances):
    if not instances:
        return None
    model = type(instances[0])
    if not request.user.has_perm(f"{model._meta.app_label}.delete_{model._meta.model_name}"):
        return None  # Wagtail refuses it anyway, without telling what uses it
    return refuse_deleting_what_is_used(request, instances, gettext(
        "This cannot be deleted while other records use it (%(uses)s). Move them "
        "elsewhere first."), model.snippet_viewset.get_url_name("list"))


# After Wagtail's own (order 0), so this one is the page admin for every page type.
@hooks.register("register_admin_viewset", order=1)
def register_page_viewset():
    return IntranetPageViewSet()


@hooks.register("construct_page_chooser_queryset")
def page_chooser_hides_unpublished_pages(pages, request):
    """Wagtail's page chooser lists every page, drafts included, to anyone with admin
    access: a champion or reviewer browsing or searching it saw the titles of unpublished
    onboarding modules. It offers live pages, and unpublished ones only to the people who
    may work on them (found by tests/security/test_permission_matrix.py)."""
    from django.db.models import Q
    from wagtail.permission_policies.pages import PagePermissionPolicy

    workable = PagePermissionPolicy().instances_user_has_any_permission_for(
        request.user, ["add", "change", "publish"])
    return pages.filter(Q(live=True) | Q(pk__in=list(workable.values_list("pk", flat=True))))


@hooks.register("before_move_page")
def move_needs_permission(request, page, destination):
    """Wagtail's move confirmation page checks no permission on GET: any admin user could
    open it for any page and read its title. Refuse unless the person may move the page
    there (found by tests/security/test_permission_matrix.py)."""
    from django.core.exceptions import PermissionDenied

    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
