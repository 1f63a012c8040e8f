from django.db.models.signals import post_save
from django.dispatch import receiver

from people.models import User


@receiver(post_save, sender=User, dispatch_uid="portal.user_joins_employee_role")
def user_joins_employee_role(sender, instance, created, raw=False, **kwargs):
    # Every account (sign-up, SSO, admin, seed) is an employee; hooking the save
    # rather than one sign-up path means no path can forget it.
    if created and not raw:
        from people.services import user_add_default_role

        user_add_default_role(user=instance)


def _vocabulary_receivers():
    # Filter forms are rendered once per set of vocabularies (shared.fragments): a
    # renamed department or a new customer segment shows at once.
    from django.db.models.signals import m2m_changed, post_delete

    from people.models import Channel, CustomerSegment, Department, JourneyStage
    from shared.fragments import vocabulary_changed

    for model in (Department, CustomerSegment, JourneyStage, Channel):
        for signal in (post_save, post_delete):
            signal.connect(vocabulary_changed, sender=model,
                           dispatch_uid=f"vocabulary:{signal is post_save}:{model.__name__}")
    # Forms that list reviewers (the queue's bulk assignment) follow role changes.
    m2m_changed.connect(vocabulary_changed, sender=User.groups.through,
                        dispatch_uid="vocabulary:roles")


_vocabulary_receivers()
