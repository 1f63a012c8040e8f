#!/usr/bin/env python3
"""One entry point for a fresh machine with only Python 3.12+:

    python3 scripts/dev.py run    # venv, install, migrate SQLite, demo data, serve :8000
    python3 scripts/dev.py test   # venv, install, ruff-free test suite (pytest)

Extra arguments after `test` go to pytest."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed-pyproject"


def run(*args: str, env: dict | None = None) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, cwd=ROOT, check=True, env={**os.environ, **(env or {})})


def ensure_environment() -> None:
    if sys.version_info < (3, 12):  # noqa: UP036 - this script runs before any venv
        sys.exit(f"Python 3.12+ is needed (this is {sys.version.split()[0]}).")
    if not PY.exists():
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (OSError, subprocess.CalledProcessError) as exc:
            # Debian and Ubuntu ship venv's pip bootstrap in a separate package.
            shutil.rmtree(VENV, ignore_errors=True)
            sys.exit(f"Could not create {VENV} ({exc}). On Debian or Ubuntu install "
                     "python3-venv (e.g. `apt install python3.12-venv`) and run this again.")
    wanted = (ROOT / "pyproject.toml").read_text()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        run(str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(str(PY), "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.write_text(wanted)


def manage(*args: str, env: dict | None = None) -> None:
    run(str(PY), "manage.py", *args, env={"DJANGO_SETTINGS_MODULE": "portal.settings.dev",
                                          **(env or {})})


def _address(args: list[str]) -> tuple[str, int]:
    """Where runserver will listen: its first argument (port, or host:port) if given."""
    first = next((a for a in args if not a.startswith("-")), "127.0.0.1:8000")
    host, _, port = first.rpartition(":")
    return (host.strip("[]") or "127.0.0.1"), int(port)


def _wait_for(host: str, port: int, server: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection((host if host != "0.0.0.0" else "127.0.0.1", port),  # noqa: S104
                                          timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def cmd_run(args: list[str]) -> None:
    ensure_environment()
    host, port = _address(args)
    # Links in e-mails and pages name the address this server really listens on.
    env = {"BASE_URL": os.environ.get("BASE_URL", f"http://{host}:{port}")}
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("createcachetable", env=env)
    done = subprocess.run(
        [str(PY), "manage.py", "seed_demo"], cwd=ROOT, check=True, capture_output=True,
        text=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env})
    sys.stderr.write(done.stderr)
    # Stopping this script (Ctrl-C, or a TERM from a supervisor) stops the server too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = subprocess.Popen(
        [str(PY), "manage.py", "runserver", *(args or [f"{host}:{port}"])], cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env})
    try:
        # The demo logins last, once, when the server answers: not lost above its output.
        if _wait_for(host, port, server):
            print("\n" + done.stdout.strip() + "\n", flush=True)
        server.wait()
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
    if server.returncode:
        raise subprocess.CalledProcessError(server.returncode, "runserver")


def cmd_test(args: list[str]) -> None:
    ensure_environment()
    # One test process per core (pytest-xdist) unless the caller chose otherwise.
    parallel = [] if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args) \
        else ["-n", "auto"]
    run(str(PY), "-m", "pytest", *parallel, *args)


if __name__ == "__main__":
    commands = {"run": cmd_run, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    try:
        commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
