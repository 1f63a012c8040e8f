from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from shared import demo
        from shared.fragments import vocabulary_changed

        from . import setup  # noqa: F401 - connects the campaign page set-up
        from .demo import seed_ideas

        # Demo ideas need the demo people, so they run among the late seeders.
        if seed_ideas not in demo.LATE_SEEDERS:
            demo.LATE_SEEDERS.append(seed_ideas)

        # Filter forms list the stages (shared.fragments).
        stage = self.get_model("Stage")
        post_save.connect(vocabulary_changed, sender=stage, dispatch_uid="vocabulary:stage")
        post_delete.connect(vocabulary_changed, sender=stage,
                            dispatch_uid="vocabulary:stage:deleted")
        # The filter forms list the live campaigns too.
        from wagtail.signals import page_published, page_unpublished

        campaign = self.get_model("CampaignPage")
        page_published.connect(vocabulary_changed, sender=campaign,
                               dispatch_uid="vocabulary:campaign:published")
        page_unpublished.connect(vocabulary_changed, sender=campaign,
                                 dispatch_uid="vocabulary:campaign:unpublished")
        page_published.connect(_announce_campaign, sender=campaign,
                               dispatch_uid="ideas:campaign:announce")


def _announce_campaign(sender, instance, **kwargs):
    """Published while open (or with its results): the audience hears of it after the
    commit, once; a campaign that opens later is announced by ideas.campaigns_daily."""
    from django.db import transaction

    from . import services

    def announce():
        services.campaign_announce(campaign=instance)
        services.campaign_announce_results(campaign=instance)

    transaction.on_commit(announce)
