"""API tokens in the Wagtail admin: programme admins list everyone's tokens and revoke
them (through api.services.token_revoke). Secrets are never shown or edited here, and
tokens are not made here: each person makes their own on /api/tokens/."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from . import permissions, services
from .models import AccessToken


@hooks.register("register_log_actions")
def register_api_log_actions(actions):
    label = gettext_lazy("Revoke API token")
    actions.register_action("api.token_revoke", label, label)


class RevokeColumn(BaseColumn):
    cell_template_name = "api/admin/revoke_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["revoke_url"] = reverse("api_tokens:revoke", args=[instance.pk])
        return context


@require_POST
def revoke_view(request, pk):
    if not permissions.can_revoke_any(request.user):
        raise PermissionDenied
    token = get_object_or_404(AccessToken, pk=pk)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” of %(owner)s was revoked.")
                     % {"name": token.name, "owner": token.owner.name})
    return redirect("api_tokens:index")


class AccessTokenViewSet(ModelViewSet):
    model = AccessToken
    url_prefix = "api-tokens"
    url_namespace = "api_tokens"
    icon = "key"
    menu_label = gettext_lazy("API tokens")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = [
        Column("name", label=gettext_lazy("Name")),
        Column("owner", label=gettext_lazy("Owner")),
        Column("prefix", label=gettext_lazy("Token")),
        Column("scope", label=gettext_lazy("Access"), accessor="get_scope_display"),
        DateColumn("created_at", label=gettext_lazy("Created")),
        DateColumn("last_used_at", label=gettext_lazy("Last used")),
        DateColumn("expires_at", label=gettext_lazy("Expires")),
        RevokeColumn("revoke", label=gettext_lazy("Revoke")),
    ]
    list_filter = ["scope", "created_at", "revoked_at"]
    search_fields = ["name", "prefix"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return AccessToken.objects.select_related("owner")

    def get_urlpatterns(self):
        # Only the list and revocation: no add, edit, copy or delete views exist at all.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("revoke/<id:pk>/", revoke_view, name="revoke"),
        ]


@hooks.register("register_admin_viewset")
def register_access_token_viewset():
    return AccessTokenViewSet()
