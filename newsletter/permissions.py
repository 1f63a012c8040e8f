"""Who may do what with newsletter sends. Views and services both ask here."""


def can_send(user) -> bool:
    """Start, pause, resume and retry newsletter sends, and watch their progress."""
    return user.is_authenticated and user.has_perm("newsletter.send_newsletter")


def can_send_test(user, issue) -> bool:
    """E-mail an issue to oneself: whoever may edit it in the Wagtail admin."""
    return (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
            and issue.permissions_for_user(user).can_edit())
