"""Writes on API tokens: made, revoked, marked used. Atomic and audited."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import permissions
from .models import AccessToken

SECRET_PREFIX = "cci_"
# last_used_at is refreshed at most this often: not a database write per API call.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def token_create(*, owner, name: str, scope: str, actor, expires_at=None):
    """A new token for `owner` (only they make their own). Returns (token, secret): the
    secret is not stored and cannot be shown again."""
    if actor.pk != owner.pk or not actor.is_active:
        raise PermissionDenied
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("Give the token a name of up to 100 characters.")]})
    if scope not in AccessToken.Scope.values:
        raise ValidationError({"scope": [_("Choose read or write.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": [_("The expiry must be in the future.")]})
    active = AccessToken.objects.filter(owner=owner, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("You have %(n)s active tokens: revoke one first.")
                              % {"n": active})
    secret = _new_secret()
    token = AccessToken.objects.create(
        owner=owner, name=name, scope=scope, expires_at=expires_at,
        prefix=secret[:len(SECRET_PREFIX) + 8], token_hash=hash_secret(secret))
    log(instance=token, action="wagtail.create", user=actor)
    return token, secret


@transaction.atomic
def token_revoke(*, token: AccessToken, actor) -> AccessToken:
    """Revoke a token (its owner, or someone who may revoke anyone's). Idempotent."""
    if not permissions.can_revoke(actor, token):
        raise PermissionDenied
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        log(instance=token, action="api.token_revoke", user=actor)
    return token


def token_authenticate(secret: str) -> AccessToken | None:
    """The active token with this secret whose owner is active, or None. Marks it used
    (at most once a minute)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (AccessToken.objects.select_related("owner")
             .filter(token_hash=hash_secret(secret)).first())
    now = timezone.now()
    if (token is None or token.revoked_at is not None or token.is_expired(now)
            or not token.owner.is_active):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A conditional UPDATE: of concurrent calls only one writes, and no lock is held.
        AccessToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION),
            pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
