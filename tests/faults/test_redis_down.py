"""Redis (the Celery broker and the shared cache) down while an idea is submitted and
decided. Nothing lost means: the idea and the decision are saved, with the decision's
notification in the outbox; the pages answer fast (no request waits on the broker) and
without errors, sign-in included; and once Redis is back the sweep e-mails every
notification exactly once.

Two kinds of outage: Redis stopped (connections refused at once) and Redis frozen
(SIGSTOP: connections accepted by the kernel, no answers; only timeouts end a wait).
A frozen Redis also swallows what was written to it and acts on it when it resumes, so
a task the web thought it failed to queue may run after all: the outbox's atomic claim
keeps that from sending twice."""

import contextlib
import email
import email.policy
import os
import signal
import time
from collections import Counter

import pytest
from django.test import override_settings

from ideas.models import Idea, Stage, Transition
from notifications.models import Notification

from .conftest import ALIAS, form_fields, idea_form, idea_pk
from .procs import wait_for


class _ServersDatabase:
    """Every query of this process goes to the database the servers use."""

    def db_for_read(self, model, **hints):
        return ALIAS

    def db_for_write(self, model, **hints):
        return ALIAS

pytestmark = pytest.mark.faults

FAST = 3.0  # seconds; the settings bound a dead Redis to about 1-2 s of one request


@contextlib.contextmanager
def redis_outage(redis, how: str):
    if how == "stopped":
        redis.stop()
        try:
            yield
        finally:
            redis.start()
    else:
        os.kill(redis.process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(redis.process.pid, signal.SIGCONT)


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.parametrize("how", ["stopped", "frozen"])
def test_idea_submitted_and_decided_while_redis_is_down(stack, browser, how):
    stack.extra_env["OUTBOX_SWEEP_SECONDS"] = "2"
    web = stack.web()
    stack.worker("worker", beat=True)
    employee = browser(web, "employee")
    reviewer = browser(web, "reviewer")
    form = idea_form(employee, f"Text customers their claim number ({how} Redis)")
    timings = {}

    with redis_outage(stack.services.redis, how):
        response, timings["submit"] = timed(lambda: employee.submit("/ideas/new/", form))
        pk = idea_pk(response)
        page, timings["idea page"] = timed(lambda: reviewer.get(f"/ideas/{pk}/"))
        assert page.status_code == 200
        hidden = form_fields(page.text)
        idea = Idea.objects.using(ALIAS).select_related("stage").get(pk=pk)
        decline = idea.stage.allowed_next.using(ALIAS).get(kind=Stage.Kind.DECLINED)
        response, timings["decide"] = timed(lambda: reviewer.submit(f"/ideas/{pk}/decide/", {
            **hidden, "to_stage": decline.pk, "reason": "The SMS gateway is replaced in May."}))
        assert response.status_code == 302, response.text[:2000]
        # Signing in counts attempts in the cache: it must work without Redis too.
        admin, timings["sign in"] = timed(lambda: browser(web, "admin"))
        home, timings["home"] = timed(lambda: admin.get("/"))
        assert home.status_code == 200
        health, timings["health"] = timed(lambda: admin.get("/healthz"))
        assert health.status_code == 503
        assert set(health.json()["down"]) == {"cache", "broker"}

        # Saved while Redis was down: the idea, the decision and the outbox row.
        idea = Idea.objects.using(ALIAS).get(pk=pk)
        assert idea.status == Idea.Status.SUBMITTED and idea.stage_id == decline.pk
        assert list(Transition.objects.using(ALIAS).filter(idea=idea)
                    .values_list("to_stage__kind", flat=True)) == ["open", "declined"]
        emails = Notification.objects.using(ALIAS).exclude(
            email_status=Notification.EmailStatus.NOT_NEEDED)
        assert emails.filter(verb="ideas.decision", recipient__username="employee").exists()
        assert set(emails.values_list("email_status", flat=True)) == {"pending"}
        assert stack.sink.messages == []

    print(f"\n{how} Redis, seconds per request:",
          {k: round(v, 2) for k, v in timings.items()})
    slow = {k: v for k, v in timings.items() if k != "health" and v > FAST}
    assert not slow, f"requests waited on Redis: {slow}"
    assert timings["health"] < 6

    # Redis is back: the worker reconnects and the beat sweep sends the outbox.
    # Titles are rendered from the rows they name (a decision names its stage): read
    # them from the servers' database, as the worker does.
    with override_settings(DATABASE_ROUTERS=[_ServersDatabase()]):
        expected = Counter((n.recipient.email, n.title)
                           for n in emails.select_related("recipient"))
    wait_for(lambda: not emails.exclude(email_status=Notification.EmailStatus.SENT).exists(),
             timeout=90, interval=0.5, what="the outbox to be sent")
    time.sleep(5)  # two more sweeps: nothing may be sent again
    received = Counter()
    for message in stack.sink.messages:
        parsed = email.message_from_bytes(message.data, policy=email.policy.default)
        for rcpt in message.rcpt_to:
            received[(rcpt, str(parsed["Subject"]))] += 1
    assert received == expected, "every notification e-mailed exactly once"
    assert admin.get("/healthz").status_code == 200
