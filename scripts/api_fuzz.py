#!/usr/bin/env python3
"""Fuzz the JSON API against its own OpenAPI document with schemathesis.

    .venv/bin/python scripts/api_fuzz.py [--max-examples N] [extra schemathesis options]

A fresh SQLite database in a temporary directory (migrated, demo data seeded as
scripts/dev.py does), a write-scope token for the demo reviewer made through the
service, gunicorn on a free loopback port; then `schemathesis run --checks all` with
that token. Exits non-zero on any failure (a 5xx, a response that does not match the
schema, an accepted invalid input...). The server is stopped in every case."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PY = BIN / "python"
REVIEWER = "reviewer@example.com"

# Checks left out, and why:
# - positive_data_acceptance: it expects every request the schema allows to succeed, but
#   the schema cannot say which ids exist or which stage moves the pipeline allows
#   (an unknown segment id is rightly a 422, a forbidden move a 409, an unknown idea a 404).
# API_FUZZ_EXCLUDE="" runs them all (to see what the excluded check reports).
EXCLUDED_CHECKS = [check for check in os.environ.get(
    "API_FUZZ_EXCLUDE", "positive_data_acceptance").split(",") if check]

MAKE_TOKEN = f"""
from api.services import token_create
from people.models import User
user = User.objects.get(email={REVIEWER!r})
token, secret = token_create(owner=user, name="schemathesis", scope="write", actor=user)
print(secret)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited ({server.returncode}) before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def main(argv: list[str]) -> int:
    max_examples = "50"
    if "--max-examples" in argv:
        i = argv.index("--max-examples")
        max_examples = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    tmp = Path(tempfile.mkdtemp(prefix="api-fuzz-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "BASE_URL": base,
        "MEDIA_ROOT": str(tmp / "media"),
        # The fuzzer calls far faster than any client should: the limit is tested in
        # tests/api/test_auth.py, not here.
        "API_RATE_LIMIT": "1000000/m",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)

    def manage(*args: str, capture: bool = False) -> str:
        done = subprocess.run([str(PY), "manage.py", *args], cwd=ROOT, env=env, check=True,
                              capture_output=capture, text=True)
        return done.stdout if capture else ""

    server = None
    try:
        manage("migrate", "--no-input", "-v", "0")
        manage("createcachetable")
        manage("seed_demo", capture=True)
        secret = manage("shell", "-c", MAKE_TOKEN, capture=True).strip().splitlines()[-1]
        log = open(tmp / "server.log", "w")  # noqa: SIM115 (closed with the server)
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "2", "--timeout", "60",
             # gunicorn itself answers a request line over 4094 bytes with an HTML 414
             # before the API sees it; the fuzzer's long query strings are to reach the
             # API's own validation, which is what is tested here.
             "--limit-request-line", "0"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for_health(f"{base}/healthz?scope=web", server)
        command = [
            str(BIN / "schemathesis"), "run", f"{base}/api/v1/openapi.json",
            "--checks", "all",
            *(["--exclude-checks", ",".join(EXCLUDED_CHECKS)] if EXCLUDED_CHECKS else []),
            "--header", f"Authorization: Bearer {secret}",
            "--max-examples", max_examples, "--workers", "2", "--seed", "17",
            "--generation-database", "none", "--request-timeout", "30",
            "--no-color", *argv,
        ]
        shown = [part.replace(secret, "cci_…") for part in command]
        print("$", " ".join(shown), flush=True)
        result = subprocess.run(command, cwd=tmp, env={**os.environ, "NO_COLOR": "1"})
        errors = [line for line in (tmp / "server.log").read_text().splitlines()
                  if "Traceback" in line or "Internal Server Error" in line]
        if errors:
            print(f"server log: {len(errors)} server errors; see {tmp / 'server.log'}")
            return 1
        return result.returncode
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if os.environ.get("API_FUZZ_KEEP"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
