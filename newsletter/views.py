from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import permissions, selectors, services
from .forms import ConfirmPublishForm, SendControlForm, SubscriptionForm, UnsubscribeForm
from .models import Delivery, NewsletterIssuePage, Send


@login_not_required
@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe by signed token, no login needed."""
    form = UnsubscribeForm({"token": token})
    if not form.is_valid():
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.subscription_cancel(user=form.person)
        return render(request, "newsletter/unsubscribe.html", {"done": True})
    return render(request, "newsletter/unsubscribe.html", {"person": form.person, "token": token})


@require_http_methods(["GET", "POST"])
def subscription(request):
    subscribed = not hasattr(request.user, "newsletter_optout")
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("subscribe", []):
                messages.error(request, error)
            return render(request, "newsletter/subscription.html",
                          {"subscribed": subscribed}, status=400)
        if form.cleaned_data["subscribe"]:
            services.subscription_renew(user=request.user)
            messages.success(request, _("You will receive the newsletter by e-mail."))
        else:
            services.subscription_cancel(user=request.user)
            messages.success(request, _("You will no longer receive the newsletter by e-mail."))
        return redirect("newsletter:subscription")
    return render(request, "newsletter/subscription.html", {"subscribed": subscribed})


# --- Wagtail admin views (registered in wagtail_hooks) ---------------------------

def _progress_page(request, send, *, status=200):
    failed = (send.deliveries.filter(status=Delivery.Status.FAILED)
              .select_related("recipient").order_by("pk")[:200])
    return render(request, "newsletter/admin/send_progress.html", {
        "send": send, "progress": selectors.send_progress(send), "failed": failed},
        status=status)


def send_progress(request, pk):
    send = get_object_or_404(Send.objects.select_related("issue"), pk=pk)
    if not permissions.can_send(request.user):
        raise PermissionDenied
    return _progress_page(request, send)


def send_index(request):
    if not permissions.can_send(request.user):
        raise PermissionDenied
    sends = Send.objects.select_related("issue").order_by("-created_at")[:100]
    rows = [{"send": s, "progress": selectors.send_progress(s)} for s in sends]
    return render(request, "newsletter/admin/send_index.html", {"rows": rows})


@require_POST
def send_control(request, pk):
    send = get_object_or_404(Send.objects.select_related("issue"), pk=pk)
    if not permissions.can_send(request.user):
        raise PermissionDenied
    form = SendControlForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return _progress_page(request, send, status=400)
    action = form.cleaned_data["action"]
    if action == "pause":
        services.send_pause(send=send, actor=request.user)
        messages.success(request, _("Sending paused."))
    elif action == "resume":
        services.send_resume(send=send, actor=request.user)
        messages.success(request, _("Sending resumed."))
    else:
        count = services.send_retry_failed(send=send, actor=request.user)
        messages.success(request, _("%(n)s failed deliveries queued again.") % {"n": count})
    return redirect("newsletter_send_progress", pk=send.pk)


@require_http_methods(["GET", "POST"])
def test_send(request, page_id):
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not permissions.can_send_test(request.user, issue):
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "newsletter/admin/test_send.html", {"issue": issue})
    revision = issue.get_latest_revision_as_object()
    try:
        services.issue_send_test(issue=revision, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    except PermissionDenied:
        raise
    except Exception:  # noqa: BLE001 - show the editor that the mail server refused
        messages.error(request, _("The test e-mail could not be sent; the mail server did "
                                  "not accept it. Try again later."))
    else:
        messages.success(request, _("A test e-mail was sent to %(email)s.")
                         % {"email": request.user.email})
    return redirect("wagtailadmin_pages:edit", issue.pk)


# --- The confirmation before the publish that e-mails everyone ------------------------

def publish_sends(page) -> bool:
    """Would publishing this issue now start its send? (Only the first publish does.)"""
    return not Send.objects.filter(issue_id=page.pk).exists()


def approval_finishes_workflow(page) -> bool:
    """Would approving the current task end the workflow (and so publish the issue)?"""
    from wagtail.models import Task

    state = page.current_workflow_state
    task = page.current_workflow_task
    if state is None or task is None:
        return False
    return not (Task.objects.filter(workflow_tasks__workflow=state.workflow, active=True)
                .exclude(task_states__in=state.successful_task_states)
                .exclude(pk=task.pk).exists())


@require_http_methods(["GET", "POST"])
def confirm_publish(request, page_id):
    """"This will e-mail N people": shown before the publish (or the approval) that
    starts an issue's send; the POST publishes or approves the revision shown."""
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not permissions.can_confirm_publish(request.user, issue):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    form = ConfirmPublishForm(data, issue=issue, user=request.user)
    edit_url = reverse("wagtailadmin_pages:edit", args=[issue.pk])
    if not publish_sends(issue):
        messages.info(request, _("This issue has been sent already."))
        return redirect(edit_url)
    valid = form.is_valid()
    if request.method == "POST" and valid:
        revision = form.cleaned_data["revision"]
        if form.cleaned_data["action"] == "approve":
            task = issue.current_workflow_task
            task.on_action(issue.current_workflow_task_state, request.user, "approve",
                           comment=form.cleaned_data["comment"])
        else:
            revision.publish(user=request.user)
        issue.refresh_from_db()
        if issue.live:
            messages.success(request, _("“%(title)s” is published; its e-mails are on their "
                                        "way.") % {"title": issue.title})
            return redirect("newsletter_send_progress", pk=issue.send.pk) \
                if permissions.can_send(request.user) else redirect(edit_url)
        messages.success(request, _("“%(title)s” will be published and e-mailed at its "
                                    "go-live time.") % {"title": issue.title})
        return redirect(edit_url)
    if request.method == "POST" and form.errors.get("revision"):
        messages.warning(request, form.errors["revision"][0])
    return render(request, "newsletter/admin/confirm_publish.html", {
        "issue": issue, "form": form, "recipients": selectors.subscribers().count(),
        "edit_url": edit_url, "action": form.action,
        "revision_id": form.latest.pk if form.latest else ""},
        status=200 if request.method == "GET" or valid else 400)
