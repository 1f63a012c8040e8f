"""/api/: the versioned JSON API (api.main) and the token pages (api.views)."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from shared import parsing  # noqa: F401 - registers the <id:...> path converter

from . import views
from .framework import problem
from .main import api


def _api_view(view):
    """Ninja authenticates API calls itself: a signed-out call gets a 401 problem, not the
    login page. A method the path does not take is a 405 problem."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/problem"):
            allow = response.get("Allow", "")
            response = problem(api, request, 405, f"Allowed methods: {allow}.")
            response["Allow"] = allow
        return response

    return login_not_required(wrapped)


def _patterns():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        view = pattern.callback
        if pattern.name in ("openapi-json", "openapi-view"):
            view = require_safe(view)  # ninja serves them to any method
        elif pattern.name == "api-root":
            # /api/v1/ itself: the docs (ninja's own root view is an HTML 404).
            view = require_safe(RedirectView.as_view(pattern_name="api-v1:openapi-view"))
        pattern.callback = _api_view(view)
    return patterns, app_name, namespace


token_patterns = ([
    path("", views.token_list, name="tokens"),
    path("<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
], "api")

urlpatterns = [
    path("v1/", _patterns()),
    path("tokens/", include(token_patterns)),
]
