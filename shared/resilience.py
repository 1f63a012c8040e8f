"""Keeping requests fast when Redis (cache and Celery broker) is down.

Every web request that queues a task has a durable record behind it (the notification
outbox, the newsletter Delivery rows) and a periodic sweep that queues whatever is still
pending, so publishing from a request is best effort: try once, with short socket
timeouts (settings), and after a failure skip the broker for a while instead of making
every request wait for it again. A dead Redis then costs one request about a second
(CELERY_BROKER_TRANSPORT_OPTIONS socket timeouts) and the next ones nothing."""

import logging
import threading
import time

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Open for `cooldown` seconds after a failure; then the next caller tries again."""

    def __init__(self, name: str, cooldown: float):
        self.name = name
        self.cooldown = cooldown
        self._open_until = 0.0
        self._lock = threading.Lock()

    @property
    def closed(self) -> bool:
        return time.monotonic() >= self._open_until

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            if self.closed:
                logger.warning("%s unreachable (%r); not trying again for %ss",
                               self.name, exc, self.cooldown)
            self._open_until = time.monotonic() + self.cooldown

    def reset(self) -> None:
        self._open_until = 0.0


broker = CircuitBreaker("Celery broker", cooldown=15)


def publish(task, args=(), kwargs=None, **options) -> bool:
    """Queue a task if the broker answers promptly; False (logged) when it does not:
    the caller's outbox row stays pending and the beat sweep queues it later.

    `task` is a task or its registered name: services publish by name, so they need
    not import the tasks module that imports them (tasks call services, not back)."""
    if isinstance(task, str):
        from celery import current_app

        if task not in current_app.tasks:
            # A web process has not imported the apps' tasks modules (a worker has):
            # load them the way the worker does (autodiscovery).
            current_app.loader.import_default_modules()
        task = current_app.tasks[task]
    in_process = task.app.conf.task_always_eager  # no broker involved
    if not in_process and not broker.closed:
        return False
    try:
        # One try: the publish retry policy would multiply the socket timeouts. Nobody
        # reads these tasks' results (the outbox row is the record), so the request does
        # not subscribe to a result in Redis either.
        task.apply_async(args=args, kwargs=kwargs, retry=False, ignore_result=True, **options)
    except Exception as exc:  # noqa: BLE001 - any broker error: the sweep catches up
        if not in_process:
            broker.failed(exc)
        return False
    return True
