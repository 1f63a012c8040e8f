"""Writes on people and departments. Views, admin, tasks and commands call these."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.log_actions import log

from people import roles
from people.models import PROFILE_FIELDS, User


def user_add_default_role(*, user: User) -> None:
    group, _ = Group.objects.get_or_create(name=roles.EMPLOYEE)
    user.groups.add(group)


@transaction.atomic
def user_update_profile(*, user: User, actor: User, **changes) -> User:
    """Change a profile; people edit their own, programme admins anyone's."""
    if actor.pk != user.pk and not actor.has_perm("people.change_user"):
        raise PermissionDenied
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    manager = changes.get("manager")
    if manager is not None and manager.pk == user.pk:
        raise ValueError("A person cannot be their own manager.")
    # Compare with the stored row: a bound ModelForm may already have touched `user`.
    stored = User.objects.get(pk=user.pk)
    before = {f: getattr(stored, f) for f in changes}
    for field, value in changes.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=list(changes))
    changed = {f: [str(before[f] or ""), str(changes[f] or "")]
               for f in changes if before[f] != changes[f]}
    if changed:
        log(instance=user, action="people.profile_update", user=actor, data={"changed": changed})
    return user


@transaction.atomic
def user_set_roles(*, user: User, actor: User, role_names: list[str],
                   other_groups: list[Group] | None = None) -> User:
    """Replace a person's programme roles. Everyone keeps the Employee role. Groups that
    are not programme roles (Wagtail's own, say) stay as they are, or become
    `other_groups` when given (the user admin's form)."""
    if not actor.has_perm("people.manage_roles"):
        raise PermissionDenied
    wanted = set(role_names) | {roles.EMPLOYEE}
    unknown = wanted - set(roles.ALL_ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    before = sorted(user.groups.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True))
    keep_other = (user.groups.exclude(name__in=roles.ALL_ROLES) if other_groups is None
                  else [g for g in other_groups if g.name not in roles.ALL_ROLES])
    user.groups.set([*keep_other, *Group.objects.filter(name__in=wanted)])
    after = sorted(wanted)
    if before != after:
        log(instance=user, action="people.roles_change", user=actor,
            data={"from": before, "to": after})
    return user


@transaction.atomic
def user_email_sync(*, user: User, actor: User) -> bool:
    """After a programme admin set a person's address in Wagtail's user admin, allauth's
    addresses follow it: the old ones stop signing in, and the new one is unverified until
    its owner confirms it (mandatory verification asks at the next sign-in). Otherwise the
    old verified address would keep signing in while mail went to the new one."""
    if not actor.has_perm("people.change_user"):
        raise PermissionDenied
    wanted = user.email.lower()  # allauth stores addresses lower-cased
    addresses = list(EmailAddress.objects.select_for_update().filter(user=user))
    old = sorted(a.email for a in addresses if a.email.lower() != wanted)
    current = next((a for a in addresses if a.email.lower() == wanted), None)
    if not old and current is not None and current.primary:
        return False
    EmailAddress.objects.filter(user=user).exclude(email__iexact=wanted).delete()
    if current is None:
        EmailAddress.objects.create(user=user, email=wanted, verified=False, primary=True)
    elif not current.primary:
        current.primary = True
        current.save(update_fields=["primary"])
    if old:
        log(instance=user, action="people.email_change", user=actor,
            data={"from": old, "to": wanted})
    return True
