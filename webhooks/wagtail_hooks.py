"""Webhook endpoints in the Wagtail admin (Settings › Webhooks), programme admins only:
register endpoints (the secret is shown once, then on the delivery log page), read each
endpoint's delivery log and redeliver (a POST through webhooks.services)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet

from . import permissions, services
from .forms import EndpointForm
from .models import Delivery, Endpoint


def _require_admin(request):
    if not permissions.can_manage(request.user):
        raise PermissionDenied


class CreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        endpoint, secret = services.endpoint_create(
            actor=self.request.user, url=data["url"], events=data["events"],
            preset=data["preset"], language=data["language"],
            description=data["description"], active=data["active"])
        self.secret = secret
        return endpoint

    def get_success_message(self, instance):
        return _("Webhook endpoint added. Its signing secret (also on its delivery log "
                 "page): %(secret)s") % {"secret": self.secret}


class EditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.endpoint_update(
            endpoint=self.object, actor=self.request.user,
            **{name: data[name] for name in EndpointForm.Meta.fields})


def deliveries_view(request, pk):
    _require_admin(request)
    endpoint = get_object_or_404(Endpoint, pk=pk)
    deliveries = endpoint.deliveries.select_related("event").order_by("-created_at")[:200]
    return TemplateResponse(request, "webhooks/admin/deliveries.html", {
        "endpoint": endpoint, "deliveries": deliveries,
        "header_title": _("Deliveries to %(name)s") % {"name": endpoint}})


@require_POST
def redeliver_view(request, pk):
    _require_admin(request)
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        services.delivery_redeliver(delivery=delivery, actor=request.user)
        messages.success(request, _("The delivery is queued again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("webhooks:deliveries", delivery.endpoint_id)


class EndpointViewSet(ModelViewSet):
    model = Endpoint
    url_prefix = "webhooks"
    url_namespace = "webhooks"
    icon = "link-external"
    menu_label = gettext_lazy("Webhooks")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    form_class = EndpointForm
    add_view_class = CreateView
    edit_view_class = EditView
    list_display = [
        TitleColumn("url", label=gettext_lazy("URL"),
                    get_url=lambda e: reverse("webhooks:edit", args=[e.pk])),
        Column("description", label=gettext_lazy("Description")),
        Column("preset", label=gettext_lazy("Format"), accessor="get_preset_display"),
        Column("active", label=gettext_lazy("Active")),
        Column("consecutive_failures", label=gettext_lazy("Failures in a row")),
        DateColumn("created_at", label=gettext_lazy("Created")),
        TitleColumn("log", label=gettext_lazy("Deliveries"),
                    accessor=lambda e: _("Delivery log"),
                    get_url=lambda e: reverse("webhooks:deliveries", args=[e.pk])),
    ]
    list_filter = ["active", "preset"]
    search_fields = ["url", "description"]
    ordering = ["-created_at", "-pk"]

    def get_form_class(self, for_update=False):
        return EndpointForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path("deliveries/<id:pk>/", deliveries_view, name="deliveries"),
                path("redeliver/<uuid:pk>/", redeliver_view, name="redeliver")]


@hooks.register("register_admin_viewset")
def register_endpoint_viewset():
    return EndpointViewSet()
