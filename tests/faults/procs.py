"""Real services for the fault-injection tests, started and stopped by the tests.

Each test run gets its own redis-server and its own PostgreSQL cluster on ports of
its own (never the shared 6379/5432 other CI stages use), plus the servers under
test as subprocesses: gunicorn (web) and a Celery worker, pointed at them."""

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.faults.settings"


def _offset() -> int:
    # Parallel pytest workers (-n) each get their own ports.
    match = re.search(r"(\d+)$", os.environ.get("PYTEST_XDIST_WORKER", ""))
    return int(match.group(1)) * 10 if match else 0


REDIS_PORT = 6391 + _offset()
PG_PORT = 5491 + _offset()


def own_port(preferred: int) -> int:
    """The preferred port, or any free one if something else holds it."""
    return free_port() if port_open(preferred) else preferred


def wait_for(predicate: Callable[[], object], *, timeout: float, interval: float = 0.1,
             what: str = "condition"):
    """Poll until predicate() is truthy; every wait in these tests is bounded."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception as exc:  # noqa: BLE001 - retried until the deadline
            last_exc = exc
        else:
            if value:
                return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}"
                       + (f" (last error: {last_exc!r})" if last_exc else ""))


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with contextlib.closing(socket.socket()) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen | None, *, timeout: float = 15) -> None:
    """Terminate a process we started (its whole session), then kill it if it lingers."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class RedisServer:
    def __init__(self, port: int = REDIS_PORT):
        self.port = own_port(port)
        self.process: subprocess.Popen | None = None
        self.binary = shutil.which("redis-server")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if port_open(self.port):
            raise RuntimeError(f"port {self.port} is taken; the fault tests need it for Redis")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, start_new_session=True)
        wait_for(lambda: port_open(self.port), timeout=10, what="redis-server")

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None
        wait_for(lambda: not port_open(self.port), timeout=10, what="redis-server to stop")

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url, socket_timeout=2).flushall()


def _pg_bindir() -> str | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    found = shutil.which("initdb")
    return os.path.dirname(found) if found else None


class PostgresServer:
    """A throw-away cluster in a temporary directory (as the postgres user when we are
    root: PostgreSQL refuses to run as root)."""

    def __init__(self, port: int = PG_PORT):
        self.port = own_port(port)
        self.bindir = _pg_bindir()
        self.dir: str | None = None

    @property
    def available(self) -> bool:
        return bool(self.bindir)

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [os.path.join(self.bindir, args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, timeout=timeout, cwd="/",
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def init(self) -> None:
        if port_open(self.port):
            raise RuntimeError(f"port {self.port} is taken; the fault tests need it for "
                               "PostgreSQL")
        self.dir = tempfile.mkdtemp(prefix="faults-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", f"{self.dir}/data", "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")

    def start(self) -> None:
        # fsync off: only the server process is killed in these tests, never the machine,
        # so WAL in the OS cache survives. synchronous_commit stays on: with it off, an
        # immediate stop loses transactions already reported committed.
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.dir} -c fsync=off "
                   "-c full_page_writes=off -c max_connections=100")
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-o", options,
                  "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", mode, "-w", "-t", "30", "stop")

    def destroy(self) -> None:
        if self.dir:
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop("immediate")
            shutil.rmtree(self.dir, ignore_errors=True)


def django_env(*, database_url: str, redis_url: str, smtp_port: int, tmp: Path,
               **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "DJANGO_", "COV_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "faults-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_TIMEOUT": "10",
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # Workers and beat report liveness every second, so /healthz knows them at once.
        "HEARTBEAT_SECONDS": "1",
        "HEARTBEAT_MAX_AGE": "5",
    })
    env.update(extra)
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


class Web:
    """gunicorn, as in the Procfile, with threads so two posts can race."""

    def __init__(self, env: dict, log: Path):
        self.env = env
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "portal.wsgi:application",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "4",
                 "--timeout", "60", "--graceful-timeout", "5", "--no-control-socket"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        wait_for(self._up, timeout=60, what="gunicorn")

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {self.log}")
        return port_open(self.port)

    def stop(self) -> None:
        stop_process(self.process)


class Worker:
    """A Celery worker (solo pool: one process, so SIGKILL kills the whole worker),
    optionally with the beat scheduler embedded."""

    def __init__(self, env: dict, log: Path, *, name: str, beat: bool = False):
        self.env = env
        self.log = log
        self.name = name
        self.beat = beat
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
                   "--without-gossip", "--without-mingle", "--without-heartbeat",
                   "--loglevel=INFO", f"--hostname={self.name}@%h"]
        if self.beat:
            command += ["--beat", f"--schedule={self.log.parent / (self.name + '-beat')}"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._ready, timeout=60, what=f"celery worker {self.name}")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"celery worker exited; see {self.log}")
        return b" ready." in self.log.read_bytes()

    def kill(self) -> None:
        """SIGKILL, like the OOM killer or a lost machine: no clean-up runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.process, timeout=20)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_servers(pg: PostgresServer, redis: RedisServer) -> None:
    """Skip on a developer's machine without the servers; fail under CI=true, where a
    stage whose every test skipped would pass having tested nothing."""
    missing = [name for name, found in (("PostgreSQL's initdb", pg.available),
                                        ("redis-server", redis.binary)) if not found]
    if missing:
        reason = f"the fault tests need {' and '.join(missing)} installed"
        if in_ci():
            pytest.fail(f"{reason} (CI=true: failing rather than skipping)", pytrace=False)
        pytest.skip(reason)
