"""The people admin: Wagtail's user admin with the role service behind it, departments,
and the customer vocabularies."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail.users.utils import user_can_delete_user

from shared.admin_views import refuse_deleting_what_is_used

from .models import Channel, CustomerSegment, JourneyMap, JourneyStage, User
from .viewsets import DepartmentViewSet


def _refuse_changing_superusers(request, users):
    """Wagtail keeps ordinary users from deleting superusers but not from editing them
    (their e-mail address, groups, active state): a programme admin could take over a
    superuser's account. Returns a refusal, or None."""
    if request.user.is_superuser or not any(user.is_superuser for user in users):
        return None
    messages.error(request, gettext("Only a superuser can change a superuser's account."))
    return redirect("wagtailusers_users:index")


_PERSON_IN_USE = _(
    "A person cannot be deleted while their records remain (%(uses)s). Deactivate the "
    "account instead.")


@hooks.register("before_delete_user")
def refuse_deleting_people_with_records(request, user):
    if not user_can_delete_user(request.user, user):
        return None  # Wagtail refuses it anyway
    return refuse_deleting_what_is_used(request, [user], str(_PERSON_IN_USE),
                                         "wagtailusers_users:index")


@hooks.register("before_edit_user")
def only_superusers_edit_superusers(request, user):
    return _refuse_changing_superusers(request, [user])


@hooks.register("before_bulk_action")
def guard_bulk_user_actions(request, action_type, objects, action_class_instance):
    if not objects or not all(isinstance(obj, User) for obj in objects):
        return None
    refusal = _refuse_changing_superusers(request, objects)
    if refusal is None and action_type == "delete":
        refusal = refuse_deleting_what_is_used(request, objects, str(_PERSON_IN_USE),
                                                "wagtailusers_users:index")
    return refusal


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    actions.register_action("people.profile_update", _("Update profile"), _("Profile updated"))
    actions.register_action("people.roles_change", _("Change roles"), _("Roles changed"))
    actions.register_action("people.email_change", _("Change e-mail address"),
                            _("E-mail address changed"))


@hooks.register("after_create_user")
@hooks.register("after_edit_user")
def apply_user_admin_changes(request, user):
    from people import roles
    from people.services import user_email_sync, user_set_roles

    # Wagtail's user form wrote User.email; allauth's sign-in addresses follow it.
    user_email_sync(user=user, actor=request.user)
    # The groups the form chose go through the role service (people.forms); someone who
    # may change people but not assign roles leaves them as they were.
    groups = getattr(user, "groups_from_admin", None)
    if groups is not None and request.user.has_perm("people.manage_roles"):
        user_set_roles(user=user, actor=request.user,
                       role_names=[g.name for g in groups if g.name in roles.ALL_ROLES],
                       other_groups=groups)


class CustomerSegmentViewSet(SnippetViewSet):
    model = CustomerSegment
    icon = "user"
    list_display = ["name", "summary"]
    search_fields = ["name", "summary"]


class JourneyMapViewSet(SnippetViewSet):
    """The library's journey maps: programme admins keep them; lessons and persona pages
    refer to them."""

    model = JourneyMap
    icon = "list-ol"
    list_display = ["title", "customer_segment", "updated_at"]
    list_filter = ["customer_segment"]
    search_fields = ["title", "summary"]


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
    items = (CustomerSegmentViewSet, JourneyMapViewSet, JourneyStageViewSet, ChannelViewSet)


register_snippet(CustomerVocabularyGroup)
register_snippet(DepartmentViewSet)
