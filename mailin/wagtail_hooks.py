"""Programme admins read the inbound e-mail log: a list, nothing added, changed or
deleted by hand (the receiver writes it, mailin.services)."""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from .models import InboundMessage


class InboundMessageViewSet(ModelViewSet):
    model = InboundMessage
    url_prefix = "inbound-email"
    url_namespace = "mailin_inbound"
    icon = "mail"
    menu_label = gettext_lazy("Inbound e-mail")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = [
        DateColumn("received_at", label=gettext_lazy("Received")),
        Column("sender", label=gettext_lazy("From")),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("reason", label=gettext_lazy("Reason")),
        Column("idea_id", label=gettext_lazy("Idea")),
    ]
    list_filter = ["status", "received_at"]
    search_fields = ["sender", "reason", "message_id"]
    ordering = ["-received_at", "-pk"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


@hooks.register("register_admin_viewset")
def register_inbound_message_viewset():
    return InboundMessageViewSet()
