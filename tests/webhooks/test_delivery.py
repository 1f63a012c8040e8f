import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from ideas.models import Idea
from notifications.models import Notification
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, move
from webhooks import presets, services, tasks
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what would run after commit (the tests run inside one transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def make_endpoint(admin, url, events=("idea.submitted", "idea.decided"), **kw):
    endpoint, secret = services.endpoint_create(actor=admin, url=url, events=list(events),
                                                **kw)
    return endpoint, secret


def submit(employee, **kw):
    from ideas import services as ideas

    idea = IdeaFactory(submitter=employee, status=Idea.Status.DRAFT, **kw)
    return ideas.idea_submit(idea=idea, actor=employee)


def make_due():
    Delivery.objects.filter(status=Delivery.Status.PENDING).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_only_programme_admins_manage_endpoints(employee, reviewer):
    for person in (employee, reviewer):
        with pytest.raises(PermissionDenied):
            services.endpoint_create(actor=person, url="https://example.com/h",
                                     events=["idea.submitted"])


def test_unknown_events_are_refused(programme_admin):
    with pytest.raises(ValidationError):
        make_endpoint(programme_admin, "https://example.com/h", events=["campaign.opened"])
    with pytest.raises(ValueError):
        services.event_record(type="campaign.opened", data={})


def test_end_to_end_receiver_down_then_up_gets_one_verified_delivery_per_event(
        programme_admin, employee, reviewer, receiver, commit):
    """The issue's "done when": a real receiver, down for the first attempts."""
    endpoint, secret = make_endpoint(programme_admin, receiver.url)
    receiver.secret, receiver.down = secret, 3
    with mock.patch.object(services, "backoff", return_value=timedelta(0)):
        with commit():
            idea = submit(employee)  # attempt 1 (after commit, eager task): 503
        with commit():
            move(idea, "Triage", actor=reviewer)  # attempt 1 of the second event: 503
        assert Delivery.objects.filter(status="pending").count() == 2
        services.sweep()  # one more 503, then the other succeeds
        services.sweep()  # the last one succeeds
        services.sweep()  # nothing left: nothing sent again
    assert receiver.rejected == 0
    types = sorted(body["type"] for body in receiver.verified)
    assert types == ["idea.decided", "idea.submitted"]
    ids = [body["id"] for body in receiver.verified]
    assert len(set(ids)) == len(ids) == Event.objects.count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}
    # Same event id on every retry: the failed attempts carried the one delivered.
    assert {h["X-Intranet-Event"] for h in receiver.headers} == set(ids)
    body = next(b for b in receiver.verified if b["type"] == "idea.submitted")
    assert body["data"]["title"] == idea.title and body["data"]["url"].endswith(
        f"/{idea.pk}/")
    headers = receiver.headers[-1]
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"].startswith("CustomerChampionIntranet")
    assert Endpoint.objects.get().consecutive_failures == 0


def test_connection_refused_is_retried_later(programme_admin, employee, commit):
    endpoint, _ = make_endpoint(programme_admin, "http://127.0.0.1:9/nothing-listens")
    with commit():
        submit(employee)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "ConnectionError" in delivery.error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)


def test_outbox_row_written_in_the_transaction_and_nothing_sent_on_rollback(
        programme_admin, employee, receiver, commit):
    make_endpoint(programme_admin, receiver.url)

    class Rollback(Exception):
        pass

    with commit(), pytest.raises(Rollback), transaction.atomic():
        submit(employee)
        assert Delivery.objects.count() == 1  # recorded inside the caller's transaction
        raise Rollback
    assert Event.objects.count() == Delivery.objects.count() == 0
    assert receiver.hits == 0


def test_claim_prevents_double_send(programme_admin, receiver):
    endpoint, secret = make_endpoint(programme_admin, receiver.url,
                                     events=["newsletter.published"])
    receiver.secret = secret
    with mock.patch.object(services, "_enqueue"):  # as if the broker were down
        with transaction.atomic():
            services.event_record(type="newsletter.published", data={"title": "N1"})
    pk = Delivery.objects.get().pk
    assert services.delivery_claim(pk)
    assert not services.delivery_claim(pk)  # a second worker, or the sweep, loses
    assert tasks.deliver(str(pk)) == "already claimed or not due"
    assert services.sweep() == 0
    assert services.delivery_send(pk) == "delivered"
    assert services.delivery_send(pk) == "not claimed"
    tasks.deliver(str(pk))
    assert len(receiver.verified) == 1


def test_stale_claims_are_released_by_the_sweep(programme_admin, receiver):
    endpoint, secret = make_endpoint(programme_admin, receiver.url,
                                     events=["newsletter.published"])
    receiver.secret = secret
    with mock.patch.object(services, "_enqueue"):
        with transaction.atomic():
            services.event_record(type="newsletter.published", data={"title": "N1"})
    delivery = Delivery.objects.get()
    services.delivery_claim(delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_at=timezone.now() - timedelta(hours=1))  # its worker died
    assert services.sweep() == 1
    assert len(receiver.verified) == 1


def test_backoff_grows_with_jitter():
    waits = [services.backoff(n).total_seconds() for n in range(1, 7)]
    for wait, base in zip(waits, [60, 300, 1800, 7200, 43200, 43200], strict=True):
        assert base * 0.9 <= wait <= base * 1.1


@override_settings(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_DISABLE_AFTER_FAILURES=100)
def test_gives_up_after_max_attempts(programme_admin, receiver, commit):
    endpoint, _ = make_endpoint(programme_admin, receiver.url, events=["newsletter.published"])
    receiver.down = 100
    with commit():
        services.event_record(type="newsletter.published", data={"title": "N1"})
    for _i in range(5):
        make_due()
        services.sweep()
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 3 and receiver.hits == 3
    assert delivery.status_code == 503 and delivery.error == "HTTP 503"


@override_settings(WEBHOOK_DISABLE_AFTER_FAILURES=3)
def test_endpoint_switched_off_after_consecutive_failures_and_admins_told(
        programme_admin, receiver, commit):
    other_admin = UserFactory(roles=["Programme admin"], preferred_language="th")
    endpoint, _ = make_endpoint(programme_admin, receiver.url, events=["newsletter.published"],
                                description="Team chat")
    receiver.down = 100
    for n in range(3):
        with commit():
            services.event_record(type="newsletter.published", data={"title": f"N{n}"})
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.consecutive_failures == 3
    notices = Notification.objects.filter(verb="webhooks.endpoint_disabled")
    assert {n.recipient for n in notices} == {programme_admin, other_admin}
    assert "Team chat" in notices.get(recipient=programme_admin).rendered().title
    # Nothing more goes to a switched-off endpoint, and it is not notified twice.
    hits = receiver.hits
    make_due()
    services.sweep()
    with commit():
        services.event_record(type="newsletter.published", data={"title": "later"})
    assert receiver.hits == hits and notices.count() == 2
    # Switched back on: the count starts again.
    services.endpoint_update(endpoint=endpoint, actor=programme_admin, active=True)
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0


def test_redeliver_sends_the_same_event_again(programme_admin, receiver, commit):
    endpoint, secret = make_endpoint(programme_admin, receiver.url,
                                     events=["newsletter.published"])
    receiver.secret = secret
    with commit():
        services.event_record(type="newsletter.published", data={"title": "N1"})
    delivery = Delivery.objects.get()
    with commit():
        services.delivery_redeliver(delivery=delivery, actor=programme_admin)
    assert [b["id"] for b in receiver.verified] == [str(delivery.event_id)] * 2


def test_confidential_ideas_emit_no_event(programme_admin, employee, reviewer, receiver, commit):
    endpoint, secret = make_endpoint(programme_admin, receiver.url)
    receiver.secret = secret
    with commit():
        idea = submit(employee, confidential=True, title="Secret merger pricing")
        move(idea, "Triage", actor=programme_admin)
    assert Event.objects.count() == 0 and receiver.hits == 0
    assert not any("Secret merger" in json.dumps(e.data) for e in Event.objects.all())


@override_settings(WEBHOOK_ALLOW_PRIVATE_HOSTS=False, WEBHOOK_ALLOW_HTTP=False)
@pytest.mark.parametrize("url", [
    "http://example.com/hook",  # plain http
    "https://127.0.0.1/hook", "https://localhost/hook", "https://10.1.2.3/hook",
    "https://192.168.0.1/hook", "https://169.254.169.254/latest/meta-data",
    "https://[::1]/hook", "ftp://example.com/", "not a url",
])
def test_ssrf_guard_refuses_private_addresses(programme_admin, url):
    with pytest.raises(ValidationError):
        make_endpoint(programme_admin, url)


@override_settings(WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_ssrf_guard_also_at_send_time(programme_admin, receiver, settings, commit):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    endpoint, _ = make_endpoint(programme_admin, receiver.url, events=["newsletter.published"])
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    settings.WEBHOOK_ALLOW_HTTP = True
    with commit():
        services.event_record(type="newsletter.published", data={"title": "N1"})
    assert receiver.hits == 0
    assert "private network" in Delivery.objects.get().error


def test_presets_bodies(programme_admin):
    event = Event.objects.create(type="idea.decided", data={
        "title": "Call back", "stage": "Accepted", "url": "https://intranet/ideas/1/"})
    slack = Endpoint(preset="slack", language="en")
    assert json.loads(presets.body(slack, event)) == {
        "text": "“Call back” moved to Accepted <https://intranet/ideas/1/|Open>"}
    teams = json.loads(presets.body(Endpoint(preset="teams", language="en"), event))
    assert teams["@type"] == "MessageCard" and teams["text"] == "“Call back” moved to Accepted"
    assert teams["potentialAction"][0]["targets"][0]["uri"] == "https://intranet/ideas/1/"
    generic = json.loads(presets.body(Endpoint(preset="generic", language="en"), event))
    assert generic["id"] == str(event.id) and generic["type"] == "idea.decided"
    assert generic["data"]["title"] == "Call back" and "created_at" in generic
