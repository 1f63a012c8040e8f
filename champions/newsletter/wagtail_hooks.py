from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from champions.models import Insight

from . import views
from .models import NewsletterIssuePage


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [
        path("newsletter-sends/", views.send_index, name="newsletter_sends"),
        path("newsletter-sends/<int:pk>/", views.send_progress, name="newsletter_send_progress"),
        path("newsletter-sends/<int:pk>/control/", views.send_control,
             name="newsletter_send_control"),
        path("newsletter-test-send/<int:page_id>/", views.test_send, name="newsletter_test_send"),
    ]


class SendsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("newsletter.change_send")


@hooks.register("register_admin_menu_item")
def sends_menu_item():
    return SendsMenuItem(_("Newsletter sends"), reverse("newsletter_sends"), icon_name="mail",
                         order=330)


@hooks.register("register_page_header_buttons")
def test_send_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, NewsletterIssuePage):
        yield Button(_("Send a test e-mail to me"),
                     reverse("newsletter_test_send", args=[page.pk]), icon_name="mail",
                     priority=55)


@hooks.register("intranet_home_panels")
def newsletter_home_panels(request):
    from .selectors import latest_issue

    return [{"template": "newsletter/includes/home_latest.html", "order": 25,
             "issue": latest_issue()}]


@hooks.register("register_log_actions")
def register_newsletter_log_actions(actions):
    for action, label in [("newsletter.send_start", _("Start newsletter send")),
                          ("newsletter.send_pause", _("Pause newsletter send")),
                          ("newsletter.send_resume", _("Resume newsletter send")),
                          ("newsletter.send_retry", _("Retry failed deliveries"))]:
        actions.register_action(action, label, label)


class InsightViewSet(SnippetViewSet):
    """Insights are written in the intranet; the admin lists them so champions can pick
    them into a newsletter issue."""

    model = Insight
    icon = "openquote"
    menu_label = _("Customer insights")
    add_to_admin_menu = False
    list_display = ["text", "author", "sentiment", "created_at"]
    list_filter = ["sentiment", "customer_segment", "department"]
    search_fields = ["text"]
    ordering = ["-created_at"]


register_snippet(InsightViewSet)
