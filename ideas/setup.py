"""Idempotent set-up of the campaigns' place in the page tree and who may run them:
programme admins add, change and publish campaigns; the sponsor is named on the page."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from people import roles


def ensure_campaign_index():
    from wagtail.models import GroupPagePermission, Site

    from .models import CampaignIndexPage

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page if site else None
    if home is None:
        return None
    index = CampaignIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=CampaignIndexPage(
            title="Campaigns", slug="campaigns",
            intro="Questions our leaders ask, open for your ideas for a while."))
        index.save_revision().publish()
    admin = Group.objects.filter(name=roles.PROGRAMME_ADMIN).first()
    if admin is not None:
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(
                group=admin, page=index,
                permission=Permission.objects.get(content_type__app_label="wagtailcore",
                                                  codename=codename))
    return index


@receiver(post_migrate, dispatch_uid="ideas.campaign_setup")
def setup_after_migrate(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "ideas":
        ensure_campaign_index()
