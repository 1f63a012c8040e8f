import dbm.dumb
import os
import shelve
import time
from pathlib import Path

from celery import Celery, bootsteps
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class _PlainFileShelve:
    """shelve on dbm.dumb. Python 3.13's default dbm is SQLite in WAL mode, and beat
    embedded in a loaded worker died on it ("locking protocol") and stopped every
    periodic job; one beat writes the schedule, so plain files need no locking."""

    @staticmethod
    def open(filename, writeback=False):
        return shelve.Shelf(dbm.dumb.open(filename, "c"), writeback=writeback)


class Scheduler(PersistentScheduler):
    """Beat's scheduler (CELERY_BEAT_SCHEDULER), with three additions.

    The schedule file's folder is created before the file is opened: on a fresh
    checkout var/ did not exist, beat died at start, and `honcho start` stopped the
    web and the worker with it. And every tick records beat's heartbeat for /healthz
    (CELERY_BEAT_MAX_LOOP_INTERVAL makes beat tick at least every HEARTBEAT_SECONDS).
    The schedule is kept in plain files (_PlainFileShelve)."""

    persistence = _PlainFileShelve

    def setup_schedule(self):
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        from portal.health import record_heartbeat

        now = time.monotonic()
        # Ticks come in bursts when several jobs fall due; one write a second is plenty.
        if now - getattr(self, "_heartbeat_at", -1.0) >= 1.0:
            self._heartbeat_at = now
            record_heartbeat("beat")
        return super().tick(*args, **kwargs)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Records the worker's heartbeat for /healthz every HEARTBEAT_SECONDS, from the
    worker's own timer: independent of beat and of Celery's event heartbeats (which
    `--without-heartbeat` turns off). A consumer step, so it runs only while the worker
    is connected to the broker and consuming, and starts again on reconnection."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        self.tref = None
        super().__init__(parent, **kwargs)

    def start(self, parent):
        from django.conf import settings

        from portal.health import record_heartbeat

        record_heartbeat("worker")
        self.tref = parent.timer.call_repeatedly(
            settings.HEARTBEAT_SECONDS, record_heartbeat, ("worker",))

    def stop(self, parent):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    shutdown = stop


app.steps["consumer"].add(WorkerHeartbeat)
