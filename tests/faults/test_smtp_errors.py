"""The SMTP server answering temporary (4xx) and then permanent (5xx) errors during a
newsletter send, on a real worker. Nothing lost means: a greylisted recipient is
retried until the server accepts, and gets one message; a recipient the server finally
refuses for good is retried while the errors are temporary, then marked failed with
the server's answer and listed in the admin's send view, and never tried again; every
other recipient gets exactly one message."""

import html
import time
from collections import Counter

import pytest

from newsletter.models import Delivery, Send
from people.models import User

from .conftest import ALIAS
from .procs import wait_for

pytestmark = pytest.mark.faults

GREYLISTED = "subscriber03@example.com"
GONE = "subscriber07@example.com"
ANSWERS = {
    GREYLISTED: ["451 4.7.1 Greylisted, please try again later"],
    GONE: ["451 4.3.0 Mailbox busy", "451 4.3.0 Mailbox busy"],
}
REFUSED = "550 5.1.1 No such mailbox here"


def rcpt_reply(address: str) -> str | None:
    if address in ANSWERS:
        queue = ANSWERS[address]
        if queue:
            return queue.pop(0)
        if address == GONE:
            return REFUSED
    return None


def test_temporary_then_permanent_smtp_errors(stack, browser):
    stack.extra_env["NEWSLETTER_SWEEP_SECONDS"] = "2"  # retries come with the sweep
    stack.sink.rcpt_reply = rcpt_reply
    web = stack.web()
    stack.worker("worker", beat=True)
    stack.action("publish", "Customer life: the picky mail server")
    send_row = Send.objects.using(ALIAS)
    wait_for(lambda: send_row.filter(status=Send.Status.DONE).exists(), timeout=120,
             interval=0.5, what="the send to finish")
    send = send_row.get()
    attempts_when_done = list(stack.sink.attempts)

    recipients = set(User.objects.using(ALIAS).filter(is_active=True, groups__name="Employee")
                     .values_list("email", flat=True))
    accepted = Counter(rcpt for message in stack.sink.messages for rcpt in message.rcpt_to)
    assert accepted == Counter(recipients - {GONE}), "one message each, none for the refused"
    tried = {address: [code for rcpt, code in attempts_when_done if rcpt == address]
             for address in (GREYLISTED, GONE)}
    assert tried == {GREYLISTED: [451, 250], GONE: [451, 451, 550]}

    deliveries = Delivery.objects.using(ALIAS).filter(send=send)
    gone = deliveries.get(email=GONE)
    assert gone.status == Delivery.Status.FAILED and gone.attempts == 3
    assert "550" in gone.error and "No such mailbox" in gone.error
    greylisted = deliveries.get(email=GREYLISTED)
    assert (greylisted.status, greylisted.attempts) == (Delivery.Status.SENT, 2)
    assert Counter(deliveries.values_list("status", flat=True)) == {
        Delivery.Status.SENT: len(recipients) - 1, Delivery.Status.FAILED: 1}

    # Listed for the programme admin, with the server's answer.
    admin = browser(web, "admin")
    page = admin.get(f"/admin/newsletter-sends/{send.pk}/")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert GONE in text and "No such mailbox" in text
    assert GREYLISTED not in text

    # Later sweeps send nothing again and do not retry the permanent failure.
    before = (len(stack.sink.messages), len(stack.sink.attempts))
    time.sleep(5)  # two more sweeps
    assert (len(stack.sink.messages), len(stack.sink.attempts)) == before
