import functools
from collections import Counter

from django.contrib import messages
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail.users.utils import user_can_delete_user

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


def _still_used(instances) -> dict:
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


def _refuse_deleting_what_is_used(request, instances, message, next_url):
    """Say what still uses these (ideas in a stage, a person's ideas) instead of the 500
    (ProtectedError) Wagtail answered when it tried the delete. Returns a refusal, or
    None when nothing protects them."""
    uses = _still_used(list(instances)) if instances else {}
    if not uses:
        return None
    messages.error(request, message % {"uses": ", ".join(
        f"{used._meta.verbose_name_plural}: {count}" for used, count in uses.items())})
    return redirect(next_url)


@hooks.register("before_delete_snippet")
def refuse_deleting_snippets_still_in_use(request, instances):
    if not instances:
        return None
    model = type(instances[0])
    if not request.user.has_perm(f"{model._meta.app_label}.delete_{model._meta.model_name}"):
        return None  # Wagtail refuses it anyway, without telling what uses it
    return _refuse_deleting_what_is_used(request, instances, gettext(
        "This cannot be deleted while other records use it (%(uses)s). Move them "
        "elsewhere first."), model.snippet_viewset.get_url_name("list"))


_PERSON_IN_USE = _(
    "A person cannot be deleted while their records remain (%(uses)s). Deactivate the "
    "account instead.")


@hooks.register("before_delete_user")
def refuse_deleting_people_with_records(request, user):
    if not user_can_delete_user(request.user, user):
        return None  # Wagtail refuses it anyway
    return _refuse_deleting_what_is_used(request, [user], str(_PERSON_IN_USE),
                                         "wagtailusers_users:index")


# After Wagtail's own (order 0), so this one is the page admin for every page type.
@hooks.register("register_admin_viewset", order=1)
def register_page_viewset():
    return IntranetPageViewSet()


@hooks.register("before_edit_user")
def only_superusers_edit_superusers(request, user):
    return _refuse_changing_superusers(request, [user])


@hooks.register("before_bulk_action")
def guard_bulk_user_actions(request, action_type, objects, action_class_instance):
    if not objects or not all(isinstance(obj, User) for obj in objects):
        return None
    refusal = _refuse_changing_superusers(request, objects)
    if refusal is None and action_type == "delete":
        refusal = _refuse_deleting_what_is_used(request, objects, str(_PERSON_IN_USE),
                                                "wagtailusers_users:index")
    return refusal


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    actions.register_action("portal.profile_update", _("Update profile"), _("Profile updated"))
    actions.register_action("portal.roles_change", _("Change roles"), _("Roles changed"))
    actions.register_action("portal.email_change", _("Change e-mail address"),
                            _("E-mail address changed"))


@hooks.register("after_create_user")
@hooks.register("after_edit_user")
def apply_user_admin_changes(request, user):
    from . import roles
    from .services import user_email_sync, user_set_roles

    # Wagtail's user form wrote User.email; allauth's sign-in addresses follow it.
    user_email_sync(user=user, actor=request.user)
    # The groups the form chose go through the role service (portal.forms); someone who
    # may change people but not assign roles leaves them as they were.
    groups = getattr(user, "groups_from_admin", None)
    if groups is not None and request.user.has_perm("portal.manage_roles"):
        user_set_roles(user=user, actor=request.user,
                       role_names=[g.name for g in groups if g.name in roles.ALL_ROLES],
                       other_groups=groups)


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
