"""Who may do what with API tokens (asked by the pages, the admin and the services)."""


def can_revoke_any(user) -> bool:
    return user.is_authenticated and user.has_perm("api.revoke_any_token")


def can_revoke(user, token) -> bool:
    return user.is_authenticated and (token.owner_id == user.pk or can_revoke_any(user))
