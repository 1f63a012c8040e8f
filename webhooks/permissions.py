"""Who may manage webhooks (asked by the admin views and the services)."""


def can_manage(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active
                and user.has_perm("webhooks.manage_webhooks"))
