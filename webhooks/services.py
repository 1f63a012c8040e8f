"""Webhook writes: endpoints, the event outbox and deliveries.

event_record() writes one Event and one Delivery per interested active endpoint inside
the caller's transaction; after commit a task sends each (shared.resilience.publish);
the beat sweep (tasks.sweep) sends what is due and releases stale claims. A delivery is
claimed (pending -> sending) with one conditional UPDATE, so it is never sent twice."""

import logging
import random
import secrets
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notification_create
from people import roles
from shared.resilience import publish

from . import net, permissions, presets, signing
from .models import EVENT_TYPES, Delivery, Endpoint, Event

logger = logging.getLogger(__name__)
SEND_TASK = "webhooks.deliver"
USER_AGENT = "CustomerChampionIntranet-Webhooks/1"


def _conf(name: str, default):
    return getattr(settings, name, default)


def _clean(*, url, events, preset, language) -> list[str]:
    net.check_url(url)
    events = list(dict.fromkeys(events or []))
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown or not events:
        raise ValidationError(_("Choose at least one event from the list."))
    if preset not in Endpoint.Preset.values:
        raise ValidationError(_("Choose a format from the list."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose a language from the list."))
    return events


@transaction.atomic
def endpoint_create(*, actor, url: str, events, preset: str = "generic",
                    language: str = "en", description: str = "",
                    active: bool = True) -> tuple[Endpoint, str]:
    """Returns the endpoint and its secret (show it once)."""
    if not permissions.can_manage(actor):
        raise PermissionDenied
    events = _clean(url=url, events=events, preset=preset, language=language)
    secret = secrets.token_hex(32)
    endpoint = Endpoint.objects.create(
        url=url, events=events, preset=preset, language=language, description=description,
        active=active, secret=secret, created_by=actor)
    return endpoint, secret


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, actor, **changes) -> Endpoint:
    if not permissions.can_manage(actor):
        raise PermissionDenied
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    allowed = {"url", "events", "preset", "language", "description", "active"}
    if set(changes) - allowed:
        raise ValueError(f"Cannot change {set(changes) - allowed}")
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.events = _clean(url=endpoint.url, events=endpoint.events,
                             preset=endpoint.preset, language=endpoint.language)
    if changes.get("active"):
        # Switching it back on starts the failure count again.
        endpoint.consecutive_failures, endpoint.disabled_reason = 0, ""
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, actor) -> str:
    if not permissions.can_manage(actor):
        raise PermissionDenied
    secret = secrets.token_hex(32)
    Endpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    return secret


def _enqueue(delivery_ids, countdown: int = 0) -> None:
    for pk in delivery_ids:
        if not publish(SEND_TASK, args=[str(pk)], countdown=countdown):
            logger.warning("Could not enqueue webhook delivery %s; the sweep will", pk)


def event_record(*, type: str, data: dict) -> Event | None:  # noqa: A002 - the payload's name
    """Record an event and its deliveries in the caller's transaction; sent after commit.

    `data` must hold only what any employee may see (callers emit nothing for
    confidential ideas)."""
    if type not in EVENT_TYPES:
        raise ValueError(f"Unknown webhook event {type!r}")
    endpoints = [e for e in Endpoint.objects.filter(active=True) if e.wants(type)]
    if not endpoints:
        return None
    with transaction.atomic():
        event = Event.objects.create(type=type, data=data)
        rows = Delivery.objects.bulk_create(
            [Delivery(event=event, endpoint=e) for e in endpoints])
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: _enqueue(ids))
    return event


def delivery_claim(pk) -> bool:
    """Atomically move a due delivery from pending to sending (True if this caller won)."""
    now = timezone.now()
    return Delivery.objects.filter(
        pk=pk, status=Delivery.Status.PENDING, next_attempt_at__lte=now,
        endpoint__active=True,
    ).update(status=Delivery.Status.SENDING, claimed_at=now) == 1


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: the schedule's step, ±10% jitter."""
    steps = _conf("WEBHOOK_RETRY_SCHEDULE", [60, 300, 1800, 7200, 43200])
    base = steps[min(attempts, len(steps)) - 1]
    return timedelta(seconds=base * random.uniform(0.9, 1.1))  # noqa: S311 - jitter only


def _post(endpoint: Endpoint, delivery: Delivery) -> requests.Response:
    net.check_url(endpoint.url)  # again at send time: DNS may have changed
    body = presets.body(endpoint, delivery.event)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Intranet-Event": str(delivery.event_id),
        "X-Intranet-Event-Type": delivery.event.type,
        "X-Intranet-Delivery": str(delivery.pk),
        signing.HEADER: signing.sign(endpoint.secret, body),
    }
    return requests.post(endpoint.url, data=body, headers=headers,
                         timeout=_conf("WEBHOOK_TIMEOUT", 5), allow_redirects=False)


def delivery_send(pk) -> str:
    """Send a claimed delivery and record the outcome (retry, give up, disable)."""
    delivery = Delivery.objects.select_related("event", "endpoint").get(pk=pk)
    if delivery.status != Delivery.Status.SENDING:
        return "not claimed"
    endpoint = delivery.endpoint
    started = time.monotonic()
    code, error = None, ""
    try:
        response = _post(endpoint, delivery)
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except ValidationError as exc:
        error = "; ".join(exc.messages)
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    elapsed = int((time.monotonic() - started) * 1000)
    now = timezone.now()
    attempts = delivery.attempts + 1
    update = {"attempts": attempts, "status_code": code, "response_ms": elapsed,
              "error": error[:500], "claimed_at": None}
    with transaction.atomic():
        if not error:
            update.update(status=Delivery.Status.SUCCEEDED, delivered_at=now,
                          next_attempt_at=None)
            Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        else:
            if attempts >= _conf("WEBHOOK_MAX_ATTEMPTS", 6):
                update.update(status=Delivery.Status.FAILED, next_attempt_at=None)
            else:
                update.update(status=Delivery.Status.PENDING,
                              next_attempt_at=now + backoff(attempts))
            _endpoint_failed(endpoint)
        Delivery.objects.filter(pk=pk, status=Delivery.Status.SENDING).update(**update)
    if error:
        return f"failed: {error}"
    return "delivered"


def _endpoint_failed(endpoint: Endpoint) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1)
    limit = _conf("WEBHOOK_DISABLE_AFTER_FAILURES", 15)
    # Only the update that actually switches it off notifies (one notice per disabling).
    disabled = Endpoint.objects.filter(
        pk=endpoint.pk, active=True, consecutive_failures__gte=limit,
    ).update(active=False, disabled_reason=f"{limit} failed deliveries in a row")
    if disabled:
        admins = Group.objects.get(name=roles.PROGRAMME_ADMIN).user_set.filter(is_active=True)
        notification_create(recipients=admins, verb="webhooks.endpoint_disabled",
                            params={"endpoint": endpoint.pk, "url": endpoint.url,
                                    "description": endpoint.description,
                                    "failures": limit})


def release_stale_claims() -> int:
    """Put back deliveries whose sender died mid-send (claimed long ago)."""
    before = timezone.now() - timedelta(seconds=_conf("WEBHOOK_CLAIM_TIMEOUT", 300))
    return Delivery.objects.filter(status=Delivery.Status.SENDING,
                                   claimed_at__lt=before).update(
        status=Delivery.Status.PENDING, claimed_at=None, next_attempt_at=timezone.now())


def due_delivery_ids(limit: int = 500) -> list:
    return list(Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now(),
        endpoint__active=True,
    ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def sweep() -> int:
    release_stale_claims()
    sent = 0
    for pk in due_delivery_ids():
        if delivery_claim(pk):
            sent += delivery_send(pk) == "delivered"
    return sent


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery, actor) -> Delivery:
    """Send a delivery again now (same event id: receivers dedupe on it)."""
    if not permissions.can_manage(actor):
        raise PermissionDenied
    changed = Delivery.objects.filter(pk=delivery.pk).exclude(
        status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now(), claimed_at=None)
    if not changed:
        raise ValidationError(_("This delivery is being sent right now."))
    transaction.on_commit(lambda: _enqueue([delivery.pk]))
    delivery.refresh_from_db()
    return delivery


def idea_event(*, type: str, idea, stage=None) -> Event | None:  # noqa: A002
    """An idea's event with only what every employee sees on its page. Confidential ideas
    emit nothing: their title or stage must not leave the intranet for a chat channel."""
    if idea.confidential:
        return None
    stage = stage or idea.stage
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return event_record(type=type, data={
        "idea": idea.pk, "title": idea.title, "url": base + idea.get_absolute_url(),
        # The English names: a payload is recorded once for every endpoint, whatever
        # language the person deciding works in (presets translate stage names).
        "stage": getattr(stage, "name_en", ""), "department": getattr(
            getattr(idea, "department", None), "name_en", None)})
