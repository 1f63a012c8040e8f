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
