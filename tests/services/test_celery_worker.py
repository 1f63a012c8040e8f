"""Proves a task travels through Redis to a real Celery worker process."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from portal.celery import app
from portal.tasks import ping

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL"),
]


@pytest.fixture
def worker():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "--without-gossip", "--without-mingle",
         "--loglevel=WARNING", f"--hostname=test-worker-{queue}@%h"],
        cwd=ROOT, env=env,
    )
    try:
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def not_eager():
    # Tests normally run tasks in-process; this one must not.
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_task_round_trip_through_redis_to_a_worker(worker, not_eager):
    token = uuid.uuid4().hex
    result = ping.apply_async(args=[token], queue=worker)
    assert result.get(timeout=60)["echo"] == token
    assert result.successful()
    assert result.backend.__class__.__name__ == "RedisBackend"
