from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from people.models import User

from . import services
from .models import ModulePage


@receiver(post_save, sender=User, dispatch_uid="training.rules_on_save")
def enrol_on_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # New people and department changes may match a path rule (enrolment is idempotent).
    if raw or (update_fields and "department" not in update_fields and not created):
        return
    transaction.on_commit(lambda: services.enrolment_apply_path_rules(user=instance))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="training.rules_on_roles")
def enrol_on_role(sender, instance, action, reverse=False, **kwargs):
    if action == "post_add" and not reverse and isinstance(instance, User):
        transaction.on_commit(lambda: services.enrolment_apply_path_rules(user=instance))


@receiver(page_published, sender=ModulePage, dispatch_uid="training.recompletion")
def module_published(sender, instance, **kwargs):
    services.module_republished(module=instance)
