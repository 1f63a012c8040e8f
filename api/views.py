"""The personal access token pages: list your tokens, make one (its secret shown once),
revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import TokenForm
from .models import AccessToken


def _page(request, form, secret=None, token=None, status=200):
    tokens = AccessToken.objects.filter(owner=request.user).order_by("-created_at", "-pk")
    return render(request, "api/tokens.html", {
        "form": form, "tokens": tokens, "secret": secret, "new_token": token,
    }, status=status)


@require_http_methods(["GET", "POST"])
def token_list(request):
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.token_create(
                owner=request.user, actor=request.user, name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"], expires_at=form.expires_at())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            # Rendered, not redirected: the secret is never stored, so this answer is the
            # only place it appears (and it is not cached: Cache-Control no-store).
            return _page(request, TokenForm(), secret=secret, token=token, status=201)
    return _page(request, form, status=400)


@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(AccessToken, pk=pk, owner=request.user)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")
