from django.contrib import messages
from django.db.models.signals import post_delete
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.delete import DeleteView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from people import roles
from shared import parsing  # noqa: F401 - registers the <id:...> path converter
from shared.admin_views import IntranetPageViewSet

from . import permissions, views
from .models import NewsletterArchivePage, NewsletterIssuePage


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [
        path("newsletter-sends/", views.send_index, name="newsletter_sends"),
        path("newsletter-sends/<id:pk>/", views.send_progress, name="newsletter_send_progress"),
        path("newsletter-sends/<id:pk>/control/", views.send_control,
             name="newsletter_send_control"),
        path("newsletter-test-send/<id:page_id>/", views.test_send, name="newsletter_test_send"),
        path("newsletter-publish/<id:page_id>/", views.confirm_publish,
             name="newsletter_confirm_publish"),
    ]


class SendsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_send(request.user)


@hooks.register("register_admin_menu_item")
def sends_menu_item():
    return SendsMenuItem(_("Newsletter sends"), reverse("newsletter_sends"), icon_name="mail",
                         order=330)


# --- Publishing e-mails everyone: a confirmation first ---------------------------------
# The first publish of an issue (Publish, or the approval that ends its workflow) starts
# its send. Every way to it in the admin leads to views.confirm_publish first, which says
# how many people will receive it and then publishes (or approves) on a POST.

def _confirm_url(page, action, comment=""):
    from urllib.parse import urlencode

    query = {"action": action}
    if comment:
        query["comment"] = comment
    return f"{reverse('newsletter_confirm_publish', args=[page.pk])}?{urlencode(query)}"


@hooks.register("before_publish_page")
def confirm_first_publish(request, page):
    """Publish in the edit or create view: the revision is saved; the confirmation
    page publishes it."""
    if isinstance(page.specific_deferred, NewsletterIssuePage) and views.publish_sends(page):
        if page.first_published_at is None and page.live:
            # Wagtail's add view has saved the new page live (its default) before asking
            # this hook: until the confirmation publishes it, it is a draft.
            NewsletterIssuePage.objects.filter(pk=page.pk).update(
                live=False, has_unpublished_changes=True)
        return redirect(_confirm_url(page, "publish"))
    return None


def _approval_publishes(page, action_name) -> bool:
    return action_name == "approve" and views.publish_sends(page) \
        and views.approval_finishes_workflow(page)


class NewsletterIssueEditView(EditView):
    """Wagtail's edit view, with "Send a test e-mail to me" in view (the header, not the
    "more" menu) and the approval that would send the issue leading to the confirmation."""

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if permissions.can_send_test(self.request.user, self.page):
            buttons.append(HeaderButton(
                _("Send a test e-mail to me"),
                reverse("newsletter_test_send", args=[self.page.pk]), icon_name="mail",
                priority=10))
        return buttons

    def perform_workflow_action(self):
        if not _approval_publishes(self.page, self.workflow_action):
            return super().perform_workflow_action()
        # Keep the edits (as Wagtail does), then confirm before approving.
        self.page = self.form.save(commit=not self.page.live)
        self.subscription.save()
        if self.has_content_changes:
            self.page.save_revision(user=self.request.user, log_action=True)
        import json

        extra = json.loads(self.request.POST.get("workflow-action-extra-data", "{}") or "{}")
        return redirect(_confirm_url(self.page, "approve", str(extra.get("comment", ""))))


class NewsletterWorkflowActionView(WorkflowActionView):
    """Approving from the dashboard or the header (no edits): the approval that would
    send the issue leads to the confirmation."""

    def post(self, request, *args, **kwargs):
        page = self.object.specific
        if not _approval_publishes(page, self.action_name):
            return super().post(request, *args, **kwargs)
        comment = ""
        if self.form_class:
            form = self.form_class(request.POST)
            if form.is_valid():
                comment = str(form.cleaned_data.get("comment") or "")
        url = _confirm_url(page, "approve", comment)
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(request, {"step": "success", "redirect": url})
        return redirect(url)


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unsent_issues(request, action_type, objects,
                                         action_class_instance):
    """Bulk publishing would skip the confirmation: unsent issues are published one at a
    time."""
    if action_type != "publish":
        return None
    for obj in objects:
        if isinstance(obj, Page) and isinstance(obj.specific_deferred, NewsletterIssuePage) \
                and views.publish_sends(obj):
            messages.error(request, gettext(
                "“%(title)s” would be e-mailed to everyone: publish it from its edit page, "
                "which says how many people will receive it.") % {"title": obj.title})
            return redirect("wagtailadmin_pages:edit", obj.pk)
    return None


def _refuse_deleting_sent_issues(request, pages):
    """Say why, instead of Wagtail's 500 (ProtectedError), when a sent issue or a page
    above one is about to be deleted. Returns the sent issue, or None."""
    for page in pages:
        sent = NewsletterIssuePage.sent_within(page).first()
        if sent is not None:
            messages.error(request, gettext(
                "“%(title)s” has been sent, so it cannot be deleted: its deliveries record "
                "who received it. Unpublish it to take it out of the archive."
            ) % {"title": sent.title})
            return sent
    return None


class NewsletterPageDeleteView(DeleteView):
    """Newsletter pages refuse deletion once an issue is sent (their permission tester,
    see models); this view says why before Wagtail's permission check would only say
    "no permission"."""

    def dispatch(self, request, page_id, *args, **kwargs):
        page = get_object_or_404(Page, id=page_id)
        if _refuse_deleting_sent_issues(request, [page]) is not None:
            return redirect("wagtailadmin_pages:edit", page.pk)
        return super().dispatch(request, page_id, *args, **kwargs)


class NewsletterIssuePageViewSet(IntranetPageViewSet):
    model = NewsletterIssuePage
    delete_view_class = NewsletterPageDeleteView
    edit_view_class = NewsletterIssueEditView
    workflow_action_view_class = NewsletterWorkflowActionView
    # The archive's page listing stays Wagtail's default one.
    parent_models: list = []


class NewsletterArchivePageViewSet(IntranetPageViewSet):
    model = NewsletterArchivePage
    delete_view_class = NewsletterPageDeleteView
    parent_models: list = []


@hooks.register("register_admin_viewset")
def register_newsletter_page_viewsets():
    return [NewsletterIssuePageViewSet(), NewsletterArchivePageViewSet()]


# Pages above the archive (only superusers may delete those) are not newsletter pages:
# the same explanation comes from Wagtail's delete hooks.
@hooks.register("before_delete_page")
def refuse_deleting_above_a_sent_issue(request, page):
    if _refuse_deleting_sent_issues(request, [page]) is not None:
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_above_a_sent_issue(request, action_type, objects,
                                            action_class_instance):
    if action_type != "delete" or not all(isinstance(obj, Page) for obj in objects):
        return None
    if _refuse_deleting_sent_issues(request, objects) is not None:
        return redirect(action_class_instance.next_url or "wagtailadmin_explore_root")
    return None


# The latest issue is the same for everyone: the home page reads it from the shared cache,
# forgotten when an issue is published, unpublished or deleted (and after
# HOME_ISSUE_SECONDS in any case, e.g. for a moved page).
HOME_ISSUE_KEY = "newsletter:home-latest-issue"
HOME_ARCHIVE_KEY = "newsletter:home-archive"
HOME_ISSUE_SECONDS = 300


@hooks.register("intranet_home_panels")
def newsletter_home_panels(request):
    from django.core.cache import cache

    cached = cache.get(HOME_ISSUE_KEY)
    if cached is None:
        # selectors.latest_issue(), with only what the panel shows and {% pageurl %} needs
        # (a whole issue, its body included, is not worth keeping in the cache).
        cached = (NewsletterIssuePage.objects.live().order_by("-first_published_at", "-pk")
                  .only("title", "url_path", "first_published_at", "intro").first(),)
        cache.set(HOME_ISSUE_KEY, cached, HOME_ISSUE_SECONDS)
    # Champions (and programme admins) get the way to write the next issue. Their roles
    # hold "add" on the archive (people.roles), and Wagtail's add view checks it again;
    # home reads the roles from the groups it already loaded, so nobody pays a query for
    # the page permission tree here.
    write_issue_url = None
    user = request.user
    if user.is_superuser or {g.name for g in user.groups.all()} & {
            roles.CHAMPION, roles.PROGRAMME_ADMIN}:
        archive_pk = cache.get(HOME_ARCHIVE_KEY)
        if archive_pk is None:
            archive_pk = (NewsletterArchivePage.objects.values_list("pk", flat=True).first()
                          or 0)
            cache.set(HOME_ARCHIVE_KEY, archive_pk, HOME_ISSUE_SECONDS)
        if archive_pk:
            write_issue_url = reverse("wagtailadmin_pages:add", args=(
                "newsletter", "newsletterissuepage", archive_pk))
    return [{"template": "newsletter/includes/home_latest.html", "order": 25,
             "issue": cached[0], "write_issue_url": write_issue_url}]


def _forget_home_issue(**kwargs):
    from django.core.cache import cache

    cache.delete_many([HOME_ISSUE_KEY, HOME_ARCHIVE_KEY])


for _name, _signal in [("published", page_published), ("unpublished", page_unpublished),
                       ("deleted", post_delete)]:
    _signal.connect(_forget_home_issue, sender=NewsletterIssuePage,
                    dispatch_uid=f"newsletter:home-latest-issue:{_name}")


@hooks.register("register_log_actions")
def register_newsletter_log_actions(actions):
    for action, label in [("newsletter.send_start", _("Start newsletter send")),
                          ("newsletter.send_pause", _("Pause newsletter send")),
                          ("newsletter.send_resume", _("Resume newsletter send")),
                          ("newsletter.send_retry", _("Retry failed deliveries")),
                          ("newsletter.send_test", _("Send a test e-mail to me")),
                          ("newsletter.unsubscribe", _("Unsubscribe")),
                          ("newsletter.resubscribe", _("Send me the newsletter"))]:
        actions.register_action(action, label, label)


@hooks.register("champion_profile_context")
def newsletter_issues_on_champion_profile(*, person, viewer):
    from .selectors import issues_written_by

    return {"newsletter_issues": issues_written_by(person=person)}
