"""Who may do what with newsletter sends. Views and services both ask here."""


def can_send(user) -> bool:
    """Start, pause, resume and retry newsletter sends, and watch their progress."""
    return user.is_authenticated and user.has_perm("newsletter.send_newsletter")


def can_send_test(user, issue) -> bool:
    """E-mail an issue to oneself: whoever may edit it in the Wagtail admin."""
    return (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
            and issue.permissions_for_user(user).can_edit())


def can_write_issue(user, archive) -> bool:
    """Start a new issue under the archive in the Wagtail admin (champions and programme
    admins: Wagtail's "add" permission there)."""
    return (archive is not None and user.is_authenticated
            and user.has_perm("wagtailadmin.access_admin")
            and archive.permissions_for_user(user).can_add_subpage())


def can_confirm_publish(user, issue) -> bool:
    """Publish an issue (or approve it in its workflow, which publishes it)."""
    if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
        return False
    if issue.permissions_for_user(user).can_publish():
        return True
    task = issue.current_workflow_task
    return task is not None and any(
        name == "approve" for name, _label, _modal in task.get_actions(issue, user))
