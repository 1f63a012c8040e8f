"""PostgreSQL unavailable. Nothing lost means: pages answer a friendly 503 (with
Retry-After) instead of an error page or a hang, the health check names the database,
a decision the database died in the middle of is not half-written (the idea did not
move without its transition record, nobody was notified), and once the database is
back the same server serves and saves again without a restart."""

import threading
import time

import psycopg
import pytest
import requests
from django.db import connections

from ideas.models import Idea, Stage, Transition
from notifications.models import Notification

from .conftest import ALIAS, form_fields, idea_form, idea_pk
from .procs import wait_for

pytestmark = pytest.mark.faults

FRIENDLY = "The intranet is briefly unavailable"


def web_health(web):
    return requests.get(web.url + "/healthz", timeout=10)


def assert_friendly_503(response):
    assert response.status_code == 503, (response.status_code, response.text[:2000])
    assert FRIENDLY in response.text
    assert response.headers["Retry-After"].isdigit()


def test_database_down_friendly_503_and_nothing_half_written(stack, browser):
    pg = stack.services.pg
    web = stack.web()
    stack.worker("worker", beat=True)  # /healthz reports their heartbeats too
    wait_for(lambda: web_health(web).status_code == 200, timeout=30,
             what="the worker's and beat's first heartbeats")
    employee = browser(web, "employee")
    reviewer = browser(web, "reviewer")
    pk = idea_pk(employee.submit("/ideas/new/", idea_form(employee, "Plain-language letters")))
    hidden = form_fields(reviewer.get(f"/ideas/{pk}/").text)
    idea = Idea.objects.using(ALIAS).select_related("stage").get(pk=pk)
    before = {"stage": idea.stage_id, "stage_entered_at": idea.stage_entered_at,
              "transitions": Transition.objects.using(ALIAS).filter(idea=idea).count(),
              "notifications": Notification.objects.using(ALIAS).count()}
    decline = idea.stage.allowed_next.using(ALIAS).get(kind=Stage.Kind.DECLINED)
    decision = {**hidden, "to_stage": decline.pk, "reason": "Legal must sign every letter."}
    connections[ALIAS].close()  # the test's own connection dies with the server

    # 1. The database dies in the middle of the decision: the idea row is updated, the
    #    transition insert waits on a lock we hold, then the server goes down.
    url = stack.services.pg.url(stack.dbname)
    locker = psycopg.connect(url, connect_timeout=5)
    locker.execute("LOCK TABLE ideas_transition IN EXCLUSIVE MODE")
    result = {}
    decide = threading.Thread(target=lambda: result.setdefault(
        "response", reviewer.submit(f"/ideas/{pk}/decide/", decision)))
    decide.start()
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as watcher:
            wait_for(lambda: watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE 'INSERT INTO \"ideas_transition\"%'").fetchone()[0],
                timeout=20, what="the decision to wait inside its transaction")
        started = time.monotonic()
        pg.stop("immediate")
        decide.join(timeout=30)
        assert not decide.is_alive()
        assert_friendly_503(result["response"])
        failed_in = time.monotonic() - started
    finally:
        locker.close()
        decide.join(timeout=30)

    # 2. While it is down: friendly 503s, fast; the health check says so.
    try:
        for path in ["/", "/ideas/", f"/ideas/{pk}/", "/accounts/login/"]:
            started = time.monotonic()
            assert_friendly_503(employee.get(path))
            assert time.monotonic() - started < 6, path
        assert_friendly_503(reviewer.submit(f"/ideas/{pk}/decide/", decision))
        health = employee.get("/healthz")
        assert health.status_code == 503
        # Workers and beat keep beating without the database: only it is named.
        assert health.json()["down"] == ["database"]
        assert health.json()["services"]["worker"] == "up"
        assert health.json()["services"]["beat"] == "up"
    finally:
        pg.start()

    # 3. Back: nothing of the interrupted decision or the refused one was written.
    idea = Idea.objects.using(ALIAS).get(pk=pk)
    assert {"stage": idea.stage_id, "stage_entered_at": idea.stage_entered_at,
            "transitions": Transition.objects.using(ALIAS).filter(idea=idea).count(),
            "notifications": Notification.objects.using(ALIAS).count()} == before
    # The same server, not restarted, saves the decision now (its pooled connections
    # are checked and replaced).
    response = wait_for(lambda: (r := reviewer.submit(f"/ideas/{pk}/decide/", decision))
                        .status_code != 503 and r, timeout=30, interval=0.5,
                        what="the web server to reach the database again")
    assert response.status_code == 302
    idea = Idea.objects.using(ALIAS).get(pk=pk)
    assert idea.stage_id == decline.pk
    assert Transition.objects.using(ALIAS).filter(idea=idea).count() == before["transitions"] + 1
    assert employee.get("/healthz").status_code == 200
    print(f"\nthe interrupted decision answered 503 {failed_in:.2f}s after the database died")
