"""The SMTP server drops the connection in the middle of a newsletter batch, on a real
worker. Twice: once right after it stored a message, instead of answering 250 (the
worker cannot know that message arrived), and once at the MAIL command of another
message (nothing of it stored). Nothing lost means: every recipient ends up with the
newsletter, the rest of each broken batch is sent over a new connection, nobody is
skipped, and at most the one message whose 250 never came crosses the wire twice, as
the same message (same Message-ID), as the README promises."""

import email
import email.policy
from collections import Counter, defaultdict

import pytest

from newsletter.models import Delivery, Send
from people.models import User

from .conftest import ALIAS
from .procs import wait_for

pytestmark = pytest.mark.faults

AFTER_STORING = 7  # in the middle of the second batch of five
BEFORE_STORING = 12  # the third batch, at its third message's MAIL FROM


def test_smtp_connection_dropped_mid_batch_loses_nobody(stack):
    stack.extra_env.update(NEWSLETTER_BATCH_SIZE="5", NEWSLETTER_SWEEP_SECONDS="2")
    sink = stack.sink
    dropped = set()

    def hang_up(stage: str, stored: int) -> bool:
        if stage == "data" and stored == AFTER_STORING and "data" not in dropped:
            dropped.add("data")
            return True
        if stage == "mail" and stored == BEFORE_STORING and "mail" not in dropped:
            dropped.add("mail")
            return True
        return False

    sink.hang_up = hang_up
    stack.worker("worker", beat=True)  # the sweep takes up what a broken batch left
    stack.action("publish", "Customer life: the mail server that hung up")
    wait_for(lambda: Send.objects.using(ALIAS).filter(status=Send.Status.DONE).exists(),
             timeout=150, interval=0.5, what="the send to finish")
    assert sink.hung_up == [("data", AFTER_STORING), ("mail", BEFORE_STORING)]

    recipients = set(User.objects.using(ALIAS).filter(is_active=True, groups__name="Employee")
                     .values_list("email", flat=True))
    transmissions = Counter()
    message_ids = defaultdict(set)
    for message in sink.messages:
        parsed = email.message_from_bytes(message.data, policy=email.policy.default)
        for rcpt in message.rcpt_to:
            transmissions[rcpt] += 1
            message_ids[rcpt].add(str(parsed["Message-ID"]))
    # Nobody skipped, one Message-ID per person (and a different one for each)...
    assert set(message_ids) == recipients
    assert all(len(ids) == 1 for ids in message_ids.values()), message_ids
    assert len({next(iter(ids)) for ids in message_ids.values()}) == len(recipients)
    # ...and only the message stored without its 250 went over the wire twice.
    unanswered = sink.messages[AFTER_STORING - 1].rcpt_to[0]
    twice = [rcpt for rcpt, count in transmissions.items() if count > 1]
    assert twice == [unanswered] and transmissions[unanswered] == 2, transmissions
    assert sum(transmissions.values()) == len(recipients) + 1

    deliveries = Delivery.objects.using(ALIAS).filter(send__issue__title__contains="hung up")
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert deliveries.count() == len(recipients)
    # Both messages whose connection dropped were attempted twice, every other once.
    retried = set(deliveries.filter(attempts=2).values_list("email", flat=True))
    assert unanswered in retried and len(retried) == 2, retried
    assert set(deliveries.exclude(email__in=retried).values_list("attempts", flat=True)) \
        == {1}
    # The broken batches went on over new connections (one session per batch otherwise).
    assert len({m.session for m in sink.messages}) >= 3
