from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shared.paging import keyset_page

from . import services as notifications
from .forms import NotificationReadForm, NotificationSettingsForm


def notification_settings(request):
    user = request.user
    initial = {"email_delivery": user.email_delivery,
               "email_topics": [t for t in notifications.TOPICS
                                if t not in (user.email_muted_topics or [])]}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["email_topics"])
        notifications.notification_settings_update(
            user=user, actor=user, email_delivery=form.cleaned_data["email_delivery"],
            muted_topics=[t for t in notifications.TOPICS if t not in chosen])
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form},
                  status=400 if form.errors else 200)


@require_GET
def notification_list(request):
    qs = request.user.notifications.select_related("actor").order_by("-created_at", "-pk")
    page = keyset_page(request, qs, 30, count=False)
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_read(request):
    form = NotificationReadForm(request.POST)
    if not form.is_valid():
        # A tampered form: mark nothing rather than guess (no ids would mean "all").
        return HttpResponseBadRequest(_("Unknown notification."),
                                      content_type="text/plain; charset=utf-8")
    ids = form.cleaned_data["id"] or None
    notifications.notification_mark_read(user=request.user, ids=ids)
    target = request.POST.get("next", "")
    # Only local paths: never an open redirect.
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return redirect(target)
    return redirect("notifications:list")
