"""End-to-end journeys: the intranet served by a real gunicorn process on a fresh
PostgreSQL database, with Redis as broker and cache, a real Celery worker process, and
every e-mail going over SMTP to a sink on loopback; Debian's chromium, driven by
Playwright, is the person.

One session fixture (`e2e`) starts it all:

1. an SMTP sink (tests/newsletter/smtp_sink.py) on a free loopback port;
2. a fresh database `e2e_<run>` on the PostgreSQL server DATABASE_URL names (default
   postgres://postgres@127.0.0.1:5432), migrated by `manage.py migrate`, then filled by
   `python -m tests.e2e.data seed`;
3. a Celery worker (`celery -A portal worker`) on the run's own queue, and gunicorn
   (`portal.wsgi`) on a free loopback port, both with tests.e2e.settings and REDIS_URL
   (default redis://127.0.0.1:6379/11);
4. waits (bounded) for /healthz to answer 200; at the end stops both processes, drops
   the database and deletes the run's Redis keys.

The test process never opens the journeys' database: it reads and writes data through
`e2e.data(command)` (a Django process with the server's settings)."""

import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests import chromium
from tests.newsletter.smtp_sink import SMTPSink

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.e2e.settings"
CHROMIUM = chromium.PATH
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
STARTUP_TIMEOUT = 90  # seconds, for the server and worker to come up
STEP_TIMEOUT = 15_000  # milliseconds, for any one browser action or expectation


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@dataclass
class Mail:
    to: list[str]
    subject: str
    text: str
    message: email.message.EmailMessage


def parse(received) -> Mail:
    message = email.message_from_bytes(received.data, policy=email.policy.default)
    body = message.get_body(("plain",))
    return Mail(to=received.rcpt_to, subject=str(message["Subject"] or ""),
                text=body.get_content() if body is not None else "", message=message)


@dataclass
class E2E:
    url: str
    sink: SMTPSink
    env: dict
    logs: Path
    processes: dict = field(default_factory=dict)
    seed: dict = field(default_factory=dict)

    def data(self, command: str, **kwargs):
        """Run a command of tests/e2e/data.py in a Django process with the server's
        settings; returns its JSON result."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.e2e.data", command, json.dumps(kwargs)],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"data {command} failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def mails(self, *, to: str | None = None, subject: str | None = None) -> list[Mail]:
        found = [parse(m) for m in list(self.sink.messages)]
        return [m for m in found
                if (to is None or to in m.to) and (subject is None or subject in m.subject)]

    def wait_for_mail(self, *, to: str | None = None, subject: str | None = None,
                      count: int = 1, timeout: float = 60) -> list[Mail]:
        """Bounded poll of the sink for at least `count` matching messages."""
        def check():
            self.check_alive()
            found = self.mails(to=to, subject=subject)
            return found if len(found) >= count else None
        try:
            return wait_until(check, timeout=timeout, what=f"{count} e-mail(s) to {to} "
                                                           f"with subject {subject!r}")
        except AssertionError as exc:
            seen = [(m.to, m.subject) for m in self.mails()]
            raise AssertionError(f"{exc}; the sink has {seen}") from None

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise AssertionError(f"{name} exited with {process.returncode}:\n"
                                     + self.log_tail(name))

    def log_tail(self, name: str, size: int = 4000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    @property
    def people(self) -> dict:
        return self.seed["people"]

    @property
    def password(self) -> str:
        return self.seed["password"]


def _pg_urls(run: str) -> tuple[str, str, str]:
    """(maintenance URL, the run's database URL, its name) on DATABASE_URL's server."""
    configured = os.environ.get("DATABASE_URL", "")
    base = configured if configured.startswith(("postgres://", "postgresql://")) else DEFAULT_PG
    parts = urlsplit(base)
    name = f"e2e_{run}"
    return (urlunsplit(parts._replace(path="/postgres")),
            urlunsplit(parts._replace(path=f"/{name}")), name)


def _psql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _redis_cleanup(url: str, run: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        for pattern in (f"e2e-{run}*", f"*e2e-{run}*"):
            for key in client.scan_iter(pattern):
                client.delete(key)
    finally:
        client.close()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def e2e(tmp_path_factory):
    run = uuid.uuid4().hex[:10]
    files = tmp_path_factory.mktemp("e2e-files")
    logs = tmp_path_factory.mktemp("e2e-logs")
    maintenance_url, database_url, database = _pg_urls(run)
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    port = free_port()
    url = f"http://127.0.0.1:{port}"

    with SMTPSink() as sink:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
            "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url,
            "REDIS_URL": redis_url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port),
            "BASE_URL": url, "E2E_RUN": run, "E2E_FILES": str(files),
            "PYTHONUNBUFFERED": "1", "DB_CONN_MAX_AGE": "0",
        }
        env.pop("REQUIRE_MFA_FOR_STAFF", None)  # staff sign in with a password only here
        env.pop("SIGNUP_OPEN", None)
        state = E2E(url=url, sink=sink, env=env, logs=logs)
        _psql(maintenance_url, f'CREATE DATABASE "{database}"')
        try:
            migrate = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
            if migrate.returncode:
                pytest.fail(f"migrate failed:\n{migrate.stderr[-4000:]}")
            state.seed = state.data("seed")

            def start(name, args):
                log = (logs / f"{name}.log").open("w")
                state.processes[name] = subprocess.Popen(
                    args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)

            start("worker", [sys.executable, "-m", "celery", "-A", "portal", "worker",
                             "--pool=solo", "-Q", f"e2e-{run}", "--without-gossip",
                             "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
                             f"--hostname=e2e-{run}@%h"])
            start("server", [sys.executable, "-m", "gunicorn", "portal.wsgi:application",
                             "--bind", f"127.0.0.1:{port}", "--workers", "2",
                             "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
                             "--access-logfile", "-"])

            def up():
                state.check_alive()
                return _healthy(url)

            wait_until(up, timeout=STARTUP_TIMEOUT, interval=0.3, what=f"{url}/healthz")
            wait_until(lambda: state.check_alive() or " ready." in state.log_tail("worker"),
                       timeout=STARTUP_TIMEOUT, what="the Celery worker")
            yield state
        finally:
            for process in state.processes.values():
                _stop(process)
            try:
                _psql(maintenance_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            finally:
                _redis_cleanup(redis_url, run)


def pytest_collection_modifyitems(config, items):
    """The journeys run only when asked for by name (-m e2e): a run with another marker
    expression, such as CI's `-m "not browser"` on the services, leaves them out."""
    if "e2e" in (config.getoption("markexpr") or ""):
        return
    chosen, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker("e2e") else chosen).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = chosen


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    state = item.funcargs.get("e2e") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(state, E2E):
        for name in state.processes:
            report.sections.append((f"e2e {name} log (tail)", state.log_tail(name)))


@pytest.fixture(scope="session")
def browser(e2e):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's chromium is needed for the e2e journeys (looked at {CHROMIUM})")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_TIMEOUT)
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright, timeout=60_000)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, e2e):
    """new_page() opens a page in a browser context of its own: one per person."""
    contexts = []

    def make():
        context = browser.new_context(locale="en-GB", base_url=e2e.url)
        context.set_default_timeout(STEP_TIMEOUT)
        context.set_default_navigation_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page, e2e: E2E, key: str):
    """Sign in as one of the seeded people (tests/e2e/data.py PEOPLE) and land home."""
    person = e2e.people[key]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person["email"])
    page.get_by_label("Password").fill(e2e.password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name=f"Welcome, {person['name']}").wait_for()
    return page
