"""Idempotent set-up of the newsletter's place in the page tree, who may write and
publish there, and the approval workflow (NEWSLETTER_REQUIRE_APPROVAL)."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from people import roles
from people.models import ProgrammeSettings
from people.settings import programme_settings
from shared.pages import ensure_index_page, grant_page_permissions
from shared.workflows import ensure_approval_workflow, remove_approval_workflow

WORKFLOW_NAME = "Newsletter approval"
TASK_NAME = "Programme admin approval"


def ensure_newsletter_setup():
    from wagtail.models import GroupPagePermission

    from .models import NewsletterArchivePage

    archive = ensure_index_page(
        NewsletterArchivePage, title="Newsletter", slug="newsletter",
        intro="Customer life, written by our customer champions.")
    if archive is None:
        return None
    champion = Group.objects.filter(name=roles.CHAMPION).first()
    admin = Group.objects.filter(name=roles.PROGRAMME_ADMIN).first()
    # Champions write issues and change only their own ("add" in Wagtail's ownership
    # rules: the owner may edit, and delete while unpublished). "change" would let any
    # champion edit, delete or copy another's issue; the approvers (the workflow's task
    # group) and programme admins may change every issue.
    grants = {champion: ["add_page"],
              admin: ["add_page", "change_page", "publish_page"]}
    if champion is not None:
        GroupPagePermission.objects.filter(
            group=champion, page=archive,
            permission__content_type__app_label="wagtailcore",
            permission__codename="change_page").delete()
    for group, codenames in grants.items():
        grant_page_permissions(page=archive, group=group, codenames=codenames)
    # Uncached: this runs after migrate too, before a database cache's table exists.
    if programme_settings(cached=False).newsletter_require_approval and admin is not None:
        ensure_approval_workflow(name=WORKFLOW_NAME, task_name=TASK_NAME, page=archive,
                                 groups=[admin], replace=True)
    else:
        remove_approval_workflow(name=WORKFLOW_NAME, page=archive)
    return archive


@receiver(post_migrate, dispatch_uid="newsletter.setup")
def setup_after_migrate(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "newsletter":
        ensure_newsletter_setup()


@receiver(post_save, sender=ProgrammeSettings, dispatch_uid="newsletter.approval_setting")
def apply_approval_setting(sender, **kwargs):
    """A programme admin switched approval on or off: the workflow follows at once."""
    transaction.on_commit(ensure_newsletter_setup)
