"""Idempotent set-up of who writes onboarding content: the Training editor role adds,
edits and publishes modules and lessons under the training index (with revisions and
preview, as any Wagtail page), and a "Training approval" workflow lets editors submit
changes for a Programme admin's approval. Runs after every migrate and when the
training index is created."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from people import roles
from shared.workflows import ensure_approval_workflow

from .models import TrainingIndexPage

WORKFLOW_NAME = "Training approval"
TASK_NAME = "Programme admin approval (training)"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
IMAGE_PERMISSIONS = ["add_image", "choose_image"]


def ensure_training_setup():
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    index = TrainingIndexPage.objects.first()
    editor = Group.objects.filter(name=roles.TRAINING_EDITOR).first()
    admin = Group.objects.filter(name=roles.PROGRAMME_ADMIN).first()
    if index is None or editor is None or admin is None:
        return None
    for group in (editor, admin):
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index,
                permission=Permission.objects.get(content_type__app_label="wagtailcore",
                                                  codename=codename))
    # Lessons show images: editors upload and choose them.
    root = Collection.get_first_root_node()
    if root is not None:
        for codename in IMAGE_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=editor, collection=root,
                permission=Permission.objects.get(content_type__app_label="wagtailimages",
                                                  codename=codename))
    ensure_approval_workflow(name=WORKFLOW_NAME, task_name=TASK_NAME, page=index,
                             groups=[admin])
    return index


@receiver(post_migrate, dispatch_uid="training.setup")
def setup_after_migrate(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "training":
        ensure_training_setup()


@receiver(post_save, sender=TrainingIndexPage, dispatch_uid="training.setup_on_index")
def setup_on_new_index(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_training_setup()
