"""Idempotent set-up of the campaigns' place in the page tree and who may run them:
programme admins add, change and publish campaigns; the sponsor is named on the page."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from people import roles
from shared.pages import ensure_index_page, grant_page_permissions


def ensure_campaign_index():
    from .models import CampaignIndexPage

    index = ensure_index_page(
        CampaignIndexPage, title="Campaigns", slug="campaigns",
        intro="Questions our leaders ask, open for your ideas for a while.")
    if index is not None:
        grant_page_permissions(page=index,
                               group=Group.objects.filter(name=roles.PROGRAMME_ADMIN).first(),
                               codenames=("add_page", "change_page", "publish_page"))
    return index


@receiver(post_migrate, dispatch_uid="ideas.campaign_setup")
def setup_after_migrate(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "ideas":
        ensure_campaign_index()
