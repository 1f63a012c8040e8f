import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal import health

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_health_is_ok_when_everything_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    # Tasks run in-process here (the embedded setup): no worker or beat to be down.
    assert body["services"] == {"database": "up", "cache": "up", "broker": "up",
                                "worker": "not used", "beat": "not used"}


def test_health_names_what_is_down(client, monkeypatch):
    def broken():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["cache"]
    assert body["services"]["cache"] == "down: ConnectionError"
    assert body["services"]["database"] == "up"


def test_broker_down_is_reported(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from portal.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


# --- Workers and beat (issue 12, item 11) ----------------------------------------------

@pytest.fixture
def with_workers(settings):
    """As in production: tasks go to workers, beat runs the periodic jobs."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HEARTBEAT_MAX_AGE = 90


def test_worker_and_beat_never_seen_are_down(client, with_workers):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["worker", "beat"]
    assert body["services"]["worker"] == "down: no heartbeat"


def test_the_load_balancer_scope_asks_only_what_a_web_process_needs(client, with_workers,
                                                                   monkeypatch):
    """A stopped worker or beat delays e-mail; it must not take healthy web servers out of
    rotation. A database or cache outage does."""
    response = client.get("/healthz?scope=web")
    assert response.status_code == 200
    assert response.json()["services"] == {"database": "up", "cache": "up"}
    assert client.get("/healthz?scope=anything").status_code == 503  # the full report

    def broken():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz?scope=web")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_fresh_heartbeats_are_up_and_stale_ones_down(client, with_workers, monkeypatch):
    health.record_heartbeat("worker")
    health.record_heartbeat("beat")
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["services"]["worker"] == "up"
    assert response.json()["services"]["beat"] == "up"
    # Two minutes later only the worker has written again: beat is named.
    later = time.time() + 120
    monkeypatch.setattr(health.time, "time", lambda: later)
    health.record_heartbeat("worker")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["beat"]
    assert body["services"]["beat"] == "down: last heartbeat 120 s ago"
    assert body["services"]["worker"] == "up"


def test_beat_not_used_without_periodic_jobs(client, with_workers, settings):
    settings.CELERY_BEAT_SCHEDULE = {}
    health.record_heartbeat("worker")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["services"]["beat"] == "not used"


def test_heartbeats_unreadable_while_the_cache_is_down(client, with_workers, monkeypatch):
    class DeadCache:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("connection refused")
            return fail

    monkeypatch.setattr(health, "cache", DeadCache())
    health.record_heartbeat("worker")  # never raises inside a worker
    body = client.get("/healthz").json()
    assert body["down"] == ["cache"]  # the cache is what is named
    assert body["services"]["worker"] == "unknown: the cache is down"
    assert health.heartbeat_status("worker").startswith("unknown: cannot read")


def test_beat_scheduler_creates_its_folder_and_beats(tmp_path, with_workers, monkeypatch):
    from portal.celery import Scheduler, app

    monkeypatch.setitem(app.conf, "beat_schedule", {})  # a tick must not queue real jobs
    schedule = tmp_path / "fresh-checkout" / "var" / "celerybeat-schedule"
    scheduler = Scheduler(app, schedule_filename=str(schedule), lazy=False)
    try:
        assert schedule.parent.is_dir()
        assert health.heartbeat_status("beat") == "down: no heartbeat"
        scheduler.tick()
        assert health.heartbeat_status("beat") == "up"
    finally:
        scheduler.close()


def test_beat_keeps_its_schedule_in_plain_files_not_sqlite(tmp_path, monkeypatch):
    """Python 3.13's default dbm is SQLite in WAL mode; beat died on it under load
    ("locking protocol") and no periodic job ran again. The schedule is plain files, and
    last run times survive a restart."""
    from portal.celery import Scheduler, app

    monkeypatch.setitem(app.conf, "beat_schedule", {
        "sweep": {"task": "notifications.send_pending_emails", "schedule": 3600.0}})
    path = tmp_path / "celerybeat-schedule"
    scheduler = Scheduler(app, schedule_filename=str(path), lazy=False)
    scheduler.sync()
    scheduler.close()
    assert (tmp_path / "celerybeat-schedule.dat").exists()
    assert not path.exists()  # no SQLite database under the bare name
    again = Scheduler(app, schedule_filename=str(path), lazy=False)
    try:
        assert "sweep" in again.schedule
    finally:
        again.close()


def test_worker_step_records_a_heartbeat_now_and_on_its_timer(with_workers, settings):
    from portal.celery import WorkerHeartbeat

    calls = []

    class Timer:
        def call_repeatedly(self, seconds, fun, args):
            calls.append((seconds, fun, args))
            return type("Ref", (), {"cancel": lambda self: calls.append("cancelled")})()

    consumer = type("Consumer", (), {"timer": Timer()})()
    step = WorkerHeartbeat(consumer)
    step.start(consumer)
    assert health.heartbeat_status("worker") == "up"
    assert calls == [(settings.HEARTBEAT_SECONDS, health.record_heartbeat, ("worker",))]
    step.stop(consumer)
    assert calls[-1] == "cancelled"


def test_procfile_beat_starts_on_a_fresh_checkout(tmp_path):
    """The Procfile's beat line, with no var/ folder: it must keep running (honcho stops
    the whole stack when one process exits)."""
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines()
                if line.startswith("beat:"))
    command = line.partition(":")[2].split()
    assert command[:3] == ["celery", "-A", "portal"]
    schedule = tmp_path / "checkout" / "var" / "celerybeat-schedule"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "CELERY_BEAT_SCHEDULE_FILENAME": str(schedule), "HOME": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", *command], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not schedule.parent.exists():
            assert process.poll() is None, process.communicate()[0].decode()[-3000:]
            time.sleep(0.2)
        time.sleep(2)
        assert process.poll() is None, process.communicate()[0].decode()[-3000:]
        assert schedule.parent.is_dir()
    finally:
        process.terminate()
        process.wait(timeout=20)
