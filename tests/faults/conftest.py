"""Fixtures of the fault-injection tests (marker `faults`, run with -m faults).

Session: our own PostgreSQL cluster (port 5491) with a migrated, seeded template
database, and our own redis-server (port 6391). Per test: a fresh database cloned from
the template, an empty Redis, an SMTP sink, and whichever servers under test the test
starts (gunicorn, Celery workers) with their environment pointed at all of that. The
test reads the database through an extra connection alias, `faults`."""

import contextlib
import itertools
import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests
from django.core.mail.utils import DNS_NAME
from django.db import connections

from tests.newsletter.smtp_sink import SMTPSink

from . import procs
from .actions import PASSWORD

ALIAS = "faults"
_numbers = itertools.count(1)


@dataclass
class Services:
    pg: procs.PostgresServer
    redis: procs.RedisServer
    tmp: Path

    def admin_sql(self, sql: str) -> None:
        with psycopg.connect(self.pg.url("postgres"), autocommit=True, connect_timeout=5) as c:
            c.execute(sql)


@pytest.fixture(scope="session")
def services(tmp_path_factory):
    pg, redis = procs.PostgresServer(), procs.RedisServer()
    procs.require_servers(pg, redis)
    tmp = tmp_path_factory.mktemp("faults")
    pg.init()
    try:
        pg.start()
        redis.start()
        found = Services(pg, redis, tmp)
        found.admin_sql("CREATE DATABASE faults_template")
        env = procs.django_env(database_url=pg.url("faults_template"), redis_url=redis.url,
                               smtp_port=1, tmp=tmp)
        procs.manage(env, "migrate", "--no-input")
        subprocess.run([sys.executable, "-m", "tests.faults.actions", "seed"], cwd=procs.ROOT,
                       env=env, check=True, timeout=120)
        yield found
    finally:
        procs.stop_process(redis.process)
        pg.destroy()


@dataclass
class Stack:
    """One test's world: database, Redis, SMTP sink and the processes it started."""

    services: Services
    dbname: str
    sink: SMTPSink
    tmp: Path
    extra_env: dict = field(default_factory=dict)
    started: list = field(default_factory=list)

    @property
    def env(self) -> dict:
        return procs.django_env(database_url=self.services.pg.url(self.dbname),
                                redis_url=self.services.redis.url, smtp_port=self.sink.port,
                                tmp=self.tmp, **self.extra_env)

    def web(self) -> procs.Web:
        web = procs.Web(self.env, self.tmp / f"web-{len(self.started)}.log")
        self.started.append(web)
        web.start()
        return web

    def worker(self, name: str = "worker", *, beat: bool = False) -> procs.Worker:
        worker = procs.Worker(self.env, self.tmp / f"{name}.log", name=name, beat=beat)
        self.started.append(worker)
        worker.start()
        return worker

    def action(self, *args: str, timeout: float = 120) -> None:
        subprocess.run([sys.executable, "-m", "tests.faults.actions", *args],
                       cwd=procs.ROOT, env=self.env, check=True, timeout=timeout)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-6000:]}"
                         for p in sorted(self.tmp.glob("*.log")))


@pytest.fixture
def stack(services, django_db_blocker, monkeypatch, tmp_path, request):
    monkeypatch.setattr(DNS_NAME, "_fqdn", "localhost", raising=False)
    dbname = f"faults_{next(_numbers)}_{uuid.uuid4().hex[:6]}"
    services.admin_sql(f"CREATE DATABASE {dbname} TEMPLATE faults_template")
    services.redis.flush()
    connections.settings[ALIAS] = connections.configure_settings({"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": dbname, "USER": "postgres",
        "HOST": "127.0.0.1", "PORT": services.pg.port, "OPTIONS": {"connect_timeout": 3}},
    })["default"]
    with SMTPSink() as sink, django_db_blocker.unblock():
        found = Stack(services, dbname, sink, tmp_path)
        try:
            yield found
        finally:
            for process in reversed(found.started):
                process.stop()
            if getattr(request.node, "failed_call", False):
                print(found.logs())  # the servers' side of the story
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
            with contextlib.suppress(psycopg.Error):
                services.admin_sql(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.failed_call = True
    return report


class Browser(requests.Session):
    """A person at a browser: cookies, CSRF token, redirects not followed."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base + url, *args, **kwargs)

    def csrf_from(self, url: str) -> str:
        page = self.get(url)
        assert page.status_code == 200, (url, page.status_code)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def post_form(self, url: str, data: dict, *, page: str | None = None, **kwargs):
        token = self.csrf_from(page or url)
        return self.post(url, data={"csrfmiddlewaretoken": token, **data},
                         headers={"Referer": self.base + (page or url)}, **kwargs)

    def submit(self, url: str, data: dict, **kwargs):
        """Post a form already filled in (its hidden fields included)."""
        return self.post(url, data=data, headers={"Referer": self.base + url}, **kwargs)

    def login(self, username: str) -> "Browser":
        response = self.post_form("/accounts/login/", {
            "login": f"{username}@example.com", "password": PASSWORD})
        assert response.status_code == 302, response.text[:2000]
        return self


@pytest.fixture
def browser():
    sessions = []

    def open_browser(web, username: str | None = None) -> Browser:
        session = Browser(web.url)
        sessions.append(session)
        return session.login(username) if username else session

    yield open_browser
    for session in sessions:
        session.close()


def form_fields(html: str) -> dict:
    """The hidden inputs of a page's form (CSRF token, form token, expected stage...)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def idea_form(session: Browser, title: str) -> dict:
    """What a person types into the new-idea form, with the form's own hidden fields."""
    from people.models import CustomerSegment

    page = session.get("/ideas/new/")
    assert page.status_code == 200, page.status_code
    segment = CustomerSegment.objects.using(ALIAS).order_by("pk").first()
    return {**form_fields(page.text), "title": title,
            "problem": "Customers wait 40 minutes on the phone to report a claim.",
            "customer_segment": segment.pk, "delight": "They are called back within 5 minutes.",
            "metric": "ces", "submit": "1"}


def idea_pk(response) -> int:
    assert response.status_code == 302, (response.status_code, response.text[:3000])
    return int(re.fullmatch(r"/ideas/(\d+)/", response.headers["Location"]).group(1))
