"""Wagtail's settings entry view (/admin/settings/<app>/<model>/), with the permission
check Wagtail leaves out for generic settings: its redirect_to_relevant_instance sends
anyone with admin access on to the edit page (and creates the settings row on the way).
Here a person without the model's change permission is refused before anything happens;
the edit view itself checks the permission again."""

from django.core.exceptions import PermissionDenied
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.views import get_model_from_url_params, redirect_to_relevant_instance
from wagtail.permissions import policy_registry


def setting_entry(request, app_name, model_name):
    model = get_model_from_url_params(app_name, model_name)  # 404 for anything else
    if issubclass(model, BaseGenericSetting):
        policy = policy_registry.get_by_type(model)
        if not policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
    return redirect_to_relevant_instance(request, app_name, model_name)
