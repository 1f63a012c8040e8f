import functools

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import IntranetPageViewSet
from .models import Channel, CustomerSegment, JourneyStage, User
from .spreadsheets import csv_cell
from .viewsets import DepartmentViewSet


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


def _refuse_changing_superusers(request, users):
    """Wagtail keeps ordinary users from deleting superusers but not from editing them
    (their e-mail address, groups, active state): a programme admin could take over a
    superuser's account. Returns a refusal, or None."""
    if request.user.is_superuser or not any(user.is_superuser for user in users):
        return None
    messages.error(request, gettext("Only a superuser can change a superuser's account."))
    return redirect("wagtailusers_users:index")


# After Wagtail's own (order 0), so this one is the page admin for every page type.
@hooks.register("register_admin_viewset", order=1)
def register_page_viewset():
    return IntranetPageViewSet()


@hooks.register("before_edit_user")
def only_superusers_edit_superusers(request, user):
    return _refuse_changing_superusers(request, [user])


@hooks.register("before_bulk_action")
def only_superusers_change_superusers_in_bulk(request, action_type, objects,
                                              action_class_instance):
    if not all(isinstance(obj, User) for obj in objects):
        return None
    return _refuse_changing_superusers(request, objects)


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    actions.register_action("portal.profile_update", _("Update profile"), _("Profile updated"))
    actions.register_action("portal.roles_change", _("Change roles"), _("Roles changed"))


class CustomerSegmentViewSet(SnippetViewSet):
    model = CustomerSegment
    icon = "user"
    list_display = ["name", "summary"]
    search_fields = ["name", "summary"]


class JourneyStageViewSet(SnippetViewSet):
    model = JourneyStage
    icon = "list-ol"
    list_display = ["name", "order"]
    sort_order_field = "order"


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "site"
    list_display = ["name"]


class CustomerVocabularyGroup(SnippetViewSetGroup):
    """The programme's shared customer vocabulary, used by ideas, insights and lessons."""

    menu_label = _("Customers")
    menu_icon = "group"
    menu_order = 300
    items = (CustomerSegmentViewSet, JourneyStageViewSet, ChannelViewSet)


register_snippet(CustomerVocabularyGroup)
register_snippet(DepartmentViewSet)


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
