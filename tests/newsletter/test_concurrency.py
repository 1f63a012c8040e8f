"""Real concurrency on PostgreSQL: several workers (threads, each with its own database
connection) claim and send the same send at once. Nobody gets an e-mail twice, nobody is
skipped. (SQLite serialises writers, so this runs on PostgreSQL only: the CI suite.)"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from newsletter import services
from newsletter.models import Delivery, Send
from tests.factories import UserFactory

from .conftest import active_emails, make_issue, publish

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs row locks (SELECT ... FOR UPDATE SKIP LOCKED)"),
]

WORKERS = 4


@pytest.fixture
def send(archive, programme_admin, monkeypatch):
    UserFactory.create_batch(40)
    # Outside a test transaction on_commit runs at once: keep the tasks out of it.
    monkeypatch.setattr(services, "_enqueue", lambda *args, **kwargs: None)
    send = publish(make_issue(archive), programme_admin)
    services.send_prepare(send_id=send.pk)
    return send


def run_workers(target) -> list:
    barrier = threading.Barrier(WORKERS)
    results, errors = [[] for _ in range(WORKERS)], []

    def work(index):
        try:
            barrier.wait(timeout=30)
            target(results[index])
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_concurrent_claimers_never_claim_the_same_rows(send):
    def claim(claimed):
        while ids := services.send_claim_batch(send_id=send.pk, size=3):
            claimed.extend(ids)

    results = run_workers(claim)
    everything = [pk for claimed in results for pk in claimed]
    assert len(everything) == len(set(everything))
    assert sorted(everything) == sorted(send.deliveries.values_list("pk", flat=True))


def test_concurrent_workers_send_each_email_exactly_once(send, mailoutbox):
    def send_all(batches):
        while True:
            result = services.send_batch(send_id=send.pk, size=3)
            batches.append(result["sent"])
            if not result["more"]:
                return

    results = run_workers(send_all)
    assert sum(sum(batches) for batches in results) == len(active_emails())
    assert Counter(m.to[0] for m in mailoutbox) == Counter(active_emails())
    assert set(Delivery.objects.filter(send=send).values_list("status", flat=True)) == {"sent"}
    send.refresh_from_db()
    assert send.status == Send.Status.DONE
