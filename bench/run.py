"""Benchmark suite (issue 8). One command, not part of the test run:

    .venv/bin/python bench/run.py [--sizes 1000,10000,100000] [--fanout 1000,10000]

What it does, in one run:

1. A fresh PostgreSQL database (bench_main), migrated, with the demo data (one login per
   role, onboarding paths, newsletter archive), then grown 1k -> 10k -> 100k ideas with
   `manage.py generate_ideas` (ideas, employees, comments, supports, decisions), plus an
   idea with 200 comments (bench/prepare.py). VACUUM ANALYZE after each growth step.
2. At each size: the in-process cost of every page (bench/inprocess.py: Django test
   Client, one request at a time; per request the process's CPU time, the time of each
   SQL query, PostgreSQL's CPU time, template time, queries; --runs runs alternating
   "floor, page" so machine load moves both alike; medians, the ratio to the same-rows
   floor, the slowest query's EXPLAIN ANALYZE). Then gunicorn (bench.settings =
   production settings + a bench-only URLconf with two floor views) on loopback, loaded
   with wrk (one short run per page, session cookie set by bench/wrk.lua; the load
   average before and after each run, with a warning when it exceeds the cores); then
   the peak resident size (VmHWM) of the gunicorn workers.
3. After the last size: newsletter fan-out to each --fanout recipient count through a
   local SMTP sink (bench/sink.py), sent by a Celery worker (solo pool, its own process,
   Redis database 12): publish-call time, fan-out time and rate, the worker's peak RSS,
   the idea list's p95 while the largest send runs, and a plain one-connection
   send_messages loop of the same messages as the baseline.
4. Results as JSON in var/bench/ and the report in docs/benchmarks.md.

    bench/run.py --report-only var/bench/results-....json   # rewrite the report only
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
VENV_BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "var" / "bench"
REPORT = ROOT / "docs" / "benchmarks.md"
PG = "postgres://postgres@127.0.0.1:5432"
REDIS_DB = 12


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, args):
        self.args = args
        self.db = args.db
        self.port = free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"{PG}/{self.db}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "BASE_URL": f"http://127.0.0.1:{self.port}",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        # Data preparation: no broker (tasks in-process), e-mail kept in memory.
        self.prep_env = {k: v for k, v in self.env.items() if k != "REDIS_URL"}
        self.prep_env["BENCH_PREP"] = "1"
        self.results = {"started": datetime.now(UTC).isoformat(), "sizes": {},
                        "settings": vars(args).copy(), "machine": machine(self.env)}
        self.stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        OUT.mkdir(parents=True, exist_ok=True)

    # --- helpers ----------------------------------------------------------------------

    def run(self, *cmd, env=None, capture=False, timeout=None) -> str:
        result = subprocess.run(cmd, cwd=ROOT, env=env or self.env, text=True,  # noqa: S603
                                timeout=timeout,
                                stdout=subprocess.PIPE if capture else None,
                                stderr=None)
        if result.returncode:
            raise SystemExit(f"failed ({result.returncode}): {' '.join(map(str, cmd))}")
        return result.stdout if capture else ""

    def manage(self, *args, env=None) -> None:
        self.run(PY, "manage.py", *args, env=env or self.prep_env)

    def py_json(self, module: str, *args, env=None) -> dict:
        out = self.run(PY, "-m", module, *map(str, args), env=env or self.env, capture=True)
        return json.loads(out.strip().splitlines()[-1])

    def sql(self, statement: str, db: str | None = None) -> str:
        return self.run("psql", f"{PG}/{db or self.db}", "-tAqc", statement,
                        capture=True).strip()

    # --- data ---------------------------------------------------------------------------

    def fresh_database(self) -> None:
        # Production static storage (hashed names): templates need the manifest.
        self.manage("collectstatic", "--no-input", "-v", "0")
        exists = self.sql(f"SELECT 1 FROM pg_database WHERE datname = '{self.db}'",  # noqa: S608
                          "postgres")
        if exists and self.args.reuse_db:
            log(f"reusing database {self.db}")
            return
        log(f"creating database {self.db}")
        self.sql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)', "postgres")
        self.sql(f'CREATE DATABASE "{self.db}"', "postgres")
        t0 = time.perf_counter()
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("createcachetable")
        self.manage("seed_demo")
        log(f"migrated and seeded in {time.perf_counter() - t0:.0f}s")

    def generated_ideas(self) -> int:
        return int(self.sql("SELECT count(*) FROM ideas_idea i JOIN portal_user u "
                            "ON u.id = i.submitter_id WHERE u.username LIKE 'bench-%'"))

    def grow(self, size: int, seed: int) -> float:
        missing = size - self.generated_ideas()
        seconds = 0.0
        if missing > 0:
            log(f"generating {missing:,} ideas (to {size:,})")
            t0 = time.perf_counter()
            self.manage("generate_ideas", "--ideas", str(missing), "--seed", str(seed))
            seconds = time.perf_counter() - t0
        return seconds

    def settle(self) -> float | None:
        """What a running site has done by the time anyone looks at new data: the beat job
        has brought the dashboard's rollup up to date (when the app has one), and the
        autovacuum has analysed the tables."""
        seconds = None
        if (ROOT / "portal" / "management" / "commands" / "rebuild_dashboard_rollup.py").exists():
            t0 = time.perf_counter()
            self.manage("rebuild_dashboard_rollup")
            seconds = time.perf_counter() - t0
        self.sql("VACUUM ANALYZE")
        return seconds

    # --- web ------------------------------------------------------------------------------

    def start_gunicorn(self) -> subprocess.Popen:
        cmd = [str(VENV_BIN / "gunicorn"), "portal.wsgi:application",
               "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.args.workers),
               "--worker-class", "sync", "--log-level", "warning", "--timeout", "120"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                    break
            except urllib.error.HTTPError as exc:
                # Up, if all it misses is a Celery worker or beat: no beat runs here, and the
                # fan-out starts its own worker later.
                if exc.code == 503 and set(json.load(exc)["down"]) <= {"worker", "beat"}:
                    break
                time.sleep(0.3)
            except Exception:  # noqa: BLE001 - not up yet (or 503 while warming)
                time.sleep(0.3)
        else:
            proc.kill()
            raise SystemExit("gunicorn did not start")
        return proc

    def workers_of(self, proc: subprocess.Popen) -> list[int]:
        path = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def fetch(self, path: str, cookie: str) -> tuple[int, int]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                         headers={"Cookie": f"sessionid={cookie}"})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, len(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, 0

    def wrk(self, path: str, cookie: str, duration: int | None = None) -> dict:
        a = self.args
        cmd = ["wrk", f"-t{a.threads}", f"-c{a.connections}", f"-d{duration or a.duration}s",
               "--timeout", "30s", "-s", str(ROOT / "bench" / "wrk.lua"),
               f"http://127.0.0.1:{self.port}{path}"]
        out = subprocess.run(cmd, env={**self.env, "BENCH_COOKIE": cookie},  # noqa: S603
                             text=True,
                             capture_output=True, check=True).stdout
        line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
        data = json.loads(line.removeprefix("BENCH_JSON "))
        seconds = data["duration_us"] / 1e6
        return {"requests": data["requests"], "rps": data["requests"] / seconds,
                "p50_ms": data["p50_us"] / 1000, "p95_ms": data["p95_us"] / 1000,
                "p99_ms": data["p99_us"] / 1000, "max_ms": data["max_us"] / 1000,
                "non200": data["non200"], "errors": data["errors"], "seconds": seconds}

    def our_pids(self, web: subprocess.Popen) -> set[int]:
        """gunicorn's master and workers and the PostgreSQL backends of the bench database."""
        backends = self.sql("SELECT pid FROM pg_stat_activity "  # noqa: S608
                            f"WHERE datname = '{self.db}' AND pid <> pg_backend_pid()")
        return {web.pid, *self.workers_of(web), *(int(p) for p in backends.split())}

    def load_pages(self, pages: list[dict], web: subprocess.Popen) -> dict:
        out = {}
        cores = os.cpu_count() or 1
        for page in pages:
            for _ in range(self.args.warmup):
                status, _size = self.fetch(page["path"], page["cookie"])
            if status != 200:
                # Recorded, not fatal: one broken page should not lose the others' figures.
                log(f"  WARNING: {page['name']} ({page['path']}) answers {status}; no wrk run")
                out[page["name"]] = {"error": f"status {status}"}
                continue
            before = os.getloadavg()
            # PostgreSQL's parallel workers (short-lived) count as other processes: a busy
            # run may be called busy wrongly, never a busy machine quiet.
            ours = self.our_pids(web)
            cpu0 = cpu_snapshot(ours)
            result = self.wrk(page["path"], page["cookie"])
            cpu1 = cpu_snapshot(ours | self.our_pids(web))
            after = os.getloadavg()
            result.update(loadavg_before=before, loadavg_after=after,
                          busy=max(before[0], after[0]) > cores,
                          **others_cpu(cpu0, cpu1))
            out[page["name"]] = result
            log(f"  {page['name']:<42} {result['rps']:7.1f} req/s  p50 {result['p50_ms']:7.1f}"
                f" ms  p95 {result['p95_ms']:7.1f} ms  non-200 {result['non200']}  load "
                f"{before[0]:.1f} -> {after[0]:.1f}, other processes "
                f"{result.get('others_cores', float('nan')):.2f} cores")
            if result["busy"]:
                log(f"  WARNING: 1-minute load {max(before[0], after[0]):.1f} exceeds the "
                    f"{cores} cores (other processes: "
                    f"{result.get('others_cores', float('nan')):.2f} cores): latencies "
                    "include queueing for the CPU")
        return out

    # --- one size -------------------------------------------------------------------------

    def size(self, size: int, seed: int) -> None:
        log(f"=== {size:,} ideas ===")
        have = self.generated_ideas()
        if have > size:
            # --reuse-db on a database grown past this size: it cannot shrink.
            log(f"  WARNING: skipping {size:,}: the database already holds {have:,} "
                "generated ideas (drop --reuse-db to start from an empty one)")
            return
        gen_seconds = self.grow(size, seed)
        extras = self.py_json("bench.prepare", "extras", env=self.prep_env)
        rollup_seconds = self.settle()
        pages_file = OUT / f"pages-{size}.json"
        pages_file.write_text(json.dumps(extras))
        log(f"  in-process: {self.args.runs} runs per page, floor and page in turn "
            f"(load {os.getloadavg()[0]:.1f})")
        inprocess = self.py_json("bench.inprocess", pages_file, "--runs", self.args.runs)
        queries = {}
        for name, r in inprocess["pages"].items():
            queries[name] = {"status": r["statuses"][-1], "queries": round(r["queries"]),
                             "queries_seen": r["queries_seen"], "bytes": r["bytes"],
                             "sql": r.pop("sql")}
            if r["statuses"] != [200] or len(r["queries_seen"]) > 1:
                log(f"  WARNING: {name}: statuses {r['statuses']}, queries "
                    f"{r['queries_seen']} over the runs")
        web = self.start_gunicorn()
        try:
            load = self.load_pages(extras["pages"], web)
            memory = {pid: vm_kb(pid, "VmHWM") for pid in self.workers_of(web)}
            log(f"  web workers peak RSS (MiB): "
                f"{', '.join(f'{m / 1024:.0f}' for m in memory.values())}")
            entry = {"generate_seconds": gen_seconds, "rollup_seconds": rollup_seconds, "data": {
                k: v for k, v in extras.items() if k != "pages"},
                "pages": [{k: v for k, v in p.items() if k != "cookie"}
                          for p in extras["pages"]],
                "queries": queries, "inprocess": inprocess, "load": load,
                "web_peak_rss_kb": list(memory.values()),
                "loadavg": os.getloadavg()}
            self.results["sizes"][str(size)] = entry
            self.save()
            if size == self.args.sizes[-1] and self.args.fanout:
                self.fanout(extras["pages"])
        finally:
            stop(web)

    # --- newsletter -----------------------------------------------------------------------

    def fanout(self, pages: list[dict]) -> None:
        redis("FLUSHDB")
        status_file = OUT / "sink-status.json"
        sink = subprocess.Popen([PY, "-m", "bench.sink", str(status_file)],  # noqa: S603
                                cwd=ROOT,
                                env=self.env, stdout=subprocess.PIPE, text=True)
        smtp_port = int(sink.stdout.readline())
        env = {**self.env, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port)}
        idea_list = next(p for p in pages if p["name"] == "idea list, filtered, page 1")
        out = {}
        try:
            for n in self.args.fanout:
                log(f"=== newsletter fan-out to {n:,} recipients ===")
                self.py_json("bench.fanout", "recipients", n, env=self.prep_env)
                worker_log = OUT / f"worker-{n}.log"
                worker = subprocess.Popen(  # noqa: S603
                    [str(VENV_BIN / "celery"), "-A", "portal", "worker", "--pool=solo",
                     "--loglevel=INFO", "--without-mingle", "--without-gossip",
                     "--without-heartbeat"],
                    cwd=ROOT, env=env, stdout=worker_log.open("w"), stderr=subprocess.STDOUT)
                wait_for(lambda path=worker_log: "ready." in path.read_text(), 90, "worker")
                baseline = vm_kb(worker.pid, "VmRSS")
                published = self.py_json("bench.fanout", "publish", env=env)
                during = None
                if n == max(self.args.fanout):
                    during = self.wrk(idea_list["path"], idea_list["cookie"])
                done = self.py_json("bench.fanout", "wait", published["send_id"], env=env)
                peak = vm_kb(worker.pid, "VmHWM")
                stop(worker)
                seconds = done["finished"] - published["started"]
                log(f"  publish call {published['publish_seconds'] * 1000:.0f} ms; sent "
                    f"{done['counts']} in {seconds:.1f}s ({n / seconds:.0f}/s); worker peak "
                    f"{peak / 1024:.0f} MiB (idle {baseline / 1024:.0f} MiB)")
                if during:
                    ended = published["started"] + during["seconds"] + 1
                    during["send_running_throughout"] = done["finished"] >= ended
                    log(f"  idea list during the send: {during['rps']:.1f} req/s, p95 "
                        f"{during['p95_ms']:.1f} ms")
                plain = self.py_json("bench.fanout", "plain", published["issue_id"], env=env)
                log(f"  plain loop: {plain['sent']} in {plain['seconds']:.1f}s "
                    f"({plain['sent'] / plain['seconds']:.0f}/s)")
                out[str(n)] = {"publish_seconds": published["publish_seconds"],
                               "seconds": seconds, "counts": done["counts"],
                               "worker_peak_rss_kb": peak, "worker_idle_rss_kb": baseline,
                               "idea_list_during_send": during, "plain": plain}
                self.results["fanout"] = out
                self.save()
            out["sink"] = json.loads(status_file.read_text())
        finally:
            stop(sink)
            self.py_json("bench.fanout", "cleanup", env=self.prep_env)
        self.results["fanout"] = out

    def save(self) -> Path:
        path = OUT / f"results-{self.stamp}.json"
        self.results["machine"]["loadavg_end"] = os.getloadavg()
        path.write_text(json.dumps(self.results, indent=1))
        return path

    def main(self) -> None:
        t0 = time.perf_counter()
        self.fresh_database()
        for i, size in enumerate(self.args.sizes):
            self.size(size, seed=i + 1)
        self.results["total_seconds"] = time.perf_counter() - t0
        path = self.save()
        if not self.results["sizes"]:
            raise SystemExit(f"no size measured; results: {path}")
        write_report(self.results, REPORT)
        log(f"results: {path.relative_to(ROOT)}; report: {REPORT.relative_to(ROOT)}")


# --- processes and machine --------------------------------------------------------------


def vm_kb(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


def cpu_snapshot(pids: set[int]) -> dict:
    """Busy CPU time of the whole machine and of `pids`, in clock ticks, and the CPU time of
    this process's finished children (wrk, psql), at one moment."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    ticks = [int(x) for x in fields]  # user nice system idle iowait irq softirq steal
    per_pid = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        rest = stat.rsplit(")", 1)[1].split()
        per_pid[pid] = int(rest[11]) + int(rest[12])  # utime + stime
    children = os.times()
    return {"busy": sum(ticks) - ticks[3] - ticks[4], "pids": per_pid,
            "children_s": children.children_user + children.children_system,
            "t": time.monotonic()}


def others_cpu(before: dict, after: dict) -> dict:
    """How many cores processes other than the benchmark's own (gunicorn, its PostgreSQL
    backends, wrk) kept busy during a wrk run: the machine's busy time minus ours."""
    hz = os.sysconf("SC_CLK_TCK")
    seconds = after["t"] - before["t"]
    if seconds <= 0:
        return {}
    ours = sum(v - before["pids"].get(pid, 0) for pid, v in after["pids"].items()) / hz
    ours += after["children_s"] - before["children_s"]
    machine = (after["busy"] - before["busy"]) / hz
    return {"machine_cores": machine / seconds, "ours_cores": ours / seconds,
            "others_cores": max(0.0, machine - ours) / seconds}


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise SystemExit(f"{what} did not become ready")


def redis(*args) -> str:
    return subprocess.run(["redis-cli", "-n", str(REDIS_DB), *args],  # noqa: S603, S607
                          capture_output=True,
                          text=True, check=True).stdout.strip()


def machine(env) -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)

    def out(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, env=env,  # noqa: S603
                                  cwd=ROOT).stdout.strip()
        except OSError:
            return ""

    return {
        "cores": os.cpu_count(), "cpu": cpu.group(1) if cpu else platform.processor(),
        "ram_gib": round(int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 2**20, 1),
        "kernel": platform.release(),
        "python": out(PY, "-c", "import sys; print(sys.version.split()[0])"),
        "django": out(PY, "-c", "import django; print(django.__version__)"),
        "wagtail": out(PY, "-c", "import wagtail; print(wagtail.__version__)"),
        "gunicorn": out(PY, "-c", "import gunicorn; print(gunicorn.__version__)"),
        "postgresql": out("psql", f"{PG}/postgres", "-tAc", "SHOW server_version"),
        "redis": out("redis-cli", "INFO", "server").split("redis_version:")[-1].split()[0]
        if shutil.which("redis-cli") else "",
        "wrk": out("wrk", "-v").splitlines()[0] if shutil.which("wrk") else "",
        "loadavg_start": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="idea counts, ascending (default 1000,10000,100000)")
    parser.add_argument("--fanout", default="1000,10000",
                        help="newsletter recipient counts ('' to skip)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (Procfile)")
    parser.add_argument("--warmup", type=int, default=5, help="requests per page before wrk")
    parser.add_argument("--runs", type=int, default=9,
                        help="in-process runs per page (each: the floor, then the page)")
    parser.add_argument("--db", default="bench_main")
    parser.add_argument("--reuse-db", action="store_true",
                        help="keep the database if it exists (grow it to the sizes)")
    parser.add_argument("--report-only", metavar="RESULTS_JSON")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.report_only:
        write_report(json.loads(Path(args.report_only).read_text()), REPORT)
        return
    if not args.db.startswith("bench_"):
        parser.error("--db must start with bench_")
    args.sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    args.fanout = sorted(int(s) for s in args.fanout.split(",") if s)
    Bench(args).main()


def write_report(results: dict, path: Path) -> None:
    from bench.report import render

    notes = ROOT / "bench" / "notes.md"  # findings written after the run, kept in the report
    if notes.exists():
        results = {**results, "notes": notes.read_text()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(results))


if __name__ == "__main__":
    main()
