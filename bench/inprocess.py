"""In-process cost of each benchmarked page, measured so that a busy machine moves the page
and its floor alike (issue 13).

    python -m bench.inprocess FILE [--runs 9] [--no-cold] [--no-explain]
    python -m bench.inprocess FILE --semantic [--runs 40]   # backend off vs on (issue 19)

FILE is bench/prepare.py's `extras` JSON (pages with their session cookies and floors).
Run with DJANGO_SETTINGS_MODULE=bench.settings and the runner's environment (production
settings, PostgreSQL, Redis); prints one JSON line. Each request goes through the whole
Django stack (middleware, sessions, auth) with the test Client, in this one process, one at
a time. Every page is requested once first; then for each page: two warm-up requests of
the page and of its floor, optionally one request after the caches were emptied ("cold"),
then --runs pairs "floor, page" in turn.

What one request records (the figures in docs/benchmarks.md are medians over the runs):

- cpu_ms: CPU time of this process (time.process_time: user + system, all threads; time
  spent waiting for PostgreSQL, Redis or the scheduler is not in it) outside database
  calls: routing, middleware, forms, building SQL and model objects, templates.
- sql_ms: wall time inside each database call (connection.execute_wrapper), as the
  client sees it: PostgreSQL's planning and execution, the loopback round trip, and the
  driver's own work on the rows. One figure per query is kept (sql_each_ms).
- cost_ms = cpu_ms + sql_ms: what the request costs the machine. Not in it: waiting for
  Redis (the shared cache) and Django's per-request connection health check (SELECT 1,
  bypassing the wrapper); both are in wall_ms.
- pg_cpu_ms: CPU time of the PostgreSQL backend serving this connection during the
  request (/proc/PID/schedstat, nanoseconds), i.e. PostgreSQL's own work without its
  waits; parallel workers' CPU is not in it. Reported beside sql_ms as a check: when the
  machine is busy, sql_ms grows (queueing) while pg_cpu_ms does not.
- template_ms: wall time inside top-level Template.render calls (the page, cached row
  fragments, anything rendered by the view; {% include %}s are inside their parent) minus
  the database time spent inside them (lazy querysets evaluated by the template).
- queries, status, bytes, wall_ms.

ratio: the median over the runs of (page cost ÷ the floor cost measured just before it).
slowest: the slowest query of the median run, with PostgreSQL's plan from
EXPLAIN (ANALYZE, BUFFERS) run once afterwards (its "Execution Time" is PostgreSQL's own
time for that query, without the round trip).
cold: one request after the shared cache (Redis) and this process's rendered-fragment
cache were emptied: what the first visitor pays (capped counts, rendered rows, dashboard
figures are all recomputed).

--semantic: each page with the embedding backend off and on (SEARCH_EMBEDDINGS switched
in this process between requests; the model is loaded once, before), --runs pairs
"off, on" in turn so a busy machine slows both alike; median and p95 of wall and cost
per mode, with the load average after each page. FILE is `bench.prepare semantic`'s."""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.test import Client  # noqa: E402

SQL_KEEP = 2000  # characters of a query's SQL kept in the results


class Meter:
    """Counts one request: database calls (an execute_wrapper) and top-level template
    renders (Template.render, patched once)."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.queries: list[dict] = []
        self.sql_wall = 0.0
        self.sql_cpu = 0.0
        self.depth = 0
        self.template_wall = 0.0
        self.template_sql = 0.0
        self.keep_params = False

    def __call__(self, execute, sql, params, many, context):
        c0, t0 = time.process_time(), time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            self.sql_wall += wall
            self.sql_cpu += cpu
            self.queries.append({"sql": sql, "params": params if not many else None,
                                 "many": many, "ms": wall * 1000})

    def render(self, original):
        meter = self

        def render(template, context):
            if meter.depth:  # an {% include %} or a nested render: inside its parent's time
                return original(template, context)
            meter.depth += 1
            sql_before, t0 = meter.sql_wall, time.perf_counter()
            try:
                return original(template, context)
            finally:
                meter.depth -= 1
                meter.template_wall += time.perf_counter() - t0
                meter.template_sql += meter.sql_wall - sql_before

        return render


METER = Meter()
template_base.Template.render = METER.render(template_base.Template.render)


def backend_cpu_ns(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def backend_pid() -> int | None:
    raw = getattr(connection, "connection", None)
    info = getattr(raw, "info", None)  # psycopg 3
    return getattr(info, "backend_pid", None) if info is not None else None


def measure(client: Client, path: str) -> dict:
    pid = backend_pid()
    pg0 = backend_cpu_ns(pid)
    METER.reset()
    with connection.execute_wrapper(METER):
        c0, t0 = time.process_time(), time.perf_counter()
        response = client.get(path)
        body = response.content
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    pg1 = backend_cpu_ns(pid) if backend_pid() == pid else None
    app_cpu = cpu - METER.sql_cpu
    return {
        "status": response.status_code, "bytes": len(body),
        "wall_ms": wall * 1000, "cpu_ms": app_cpu * 1000, "sql_ms": METER.sql_wall * 1000,
        "cost_ms": (app_cpu + METER.sql_wall) * 1000,
        "pg_cpu_ms": (pg1 - pg0) / 1e6 if pg0 is not None and pg1 is not None else None,
        "template_ms": (METER.template_wall - METER.template_sql) * 1000,
        "queries": len(METER.queries),
        "_queries": METER.queries,
    }


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def explain(sql: str, params) -> dict:
    """PostgreSQL's own figures for one query: EXPLAIN (ANALYZE, BUFFERS) runs it once more
    (SELECTs only: ANALYZE executes the statement)."""
    if not sql.lstrip("( \n").upper().startswith(("SELECT", "WITH")) or \
            connection.vendor != "postgresql":
        return {}
    try:
        with connection.cursor() as cursor:
            args = (params,) if params is not None else ()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, *args)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, *args)
            text = "\n".join(row[0] for row in cursor.fetchall())
        return {"execution_ms": plan[0].get("Execution Time"),
                "planning_ms": plan[0].get("Planning Time"), "plan": text}
    except Exception as exc:  # noqa: BLE001 - a diagnostic: never fail the run for it
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def go_cold() -> None:
    """Empty the shared cache and this process's rendered fragments (shared.fragments keeps
    them per process, keyed on a vocabulary version read from the shared cache)."""
    for cache in caches.all():
        cache.clear()
    try:
        from shared import fragments
    except ImportError:
        return
    kept = getattr(fragments, "_rendered", None)
    if kept is not None and hasattr(kept, "clear"):
        kept.clear()
    if hasattr(fragments, "_version_seen"):
        fragments._version_seen = None


def summary(samples: list[dict]) -> dict:
    keys = ("wall_ms", "cpu_ms", "sql_ms", "cost_ms", "pg_cpu_ms", "template_ms", "queries",
            "bytes")
    out = {k: median(s[k] for s in samples) for k in keys}
    out["statuses"] = sorted({s["status"] for s in samples})
    out["queries_seen"] = sorted({s["queries"] for s in samples})
    out["cost_each_ms"] = [round(s["cost_ms"], 2) for s in samples]
    return out


def client_for(cookie: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return client


def page_result(page: dict, floor: dict | None, runs: int, cold: bool,
                with_explain: bool) -> dict:
    client, floor_client = client_for(page["cookie"]), None
    if floor is not None:
        floor_client = client_for(floor["cookie"])
    for _ in range(2):  # warm: templates compiled, connection open, caches filled
        client.get(page["path"])
        if floor_client:
            floor_client.get(floor["path"])
    cold_sample = None
    if cold:
        go_cold()
        cold_sample = measure(client, page["path"])
        client.get(page["path"])  # warm again
    pages, floors = [], []
    for _ in range(runs):
        if floor_client:
            floors.append(measure(floor_client, floor["path"]))
        pages.append(measure(client, page["path"]))
    result = summary(pages)
    if floors:
        result["floor"] = floor["name"]
        result["floor_cost_ms"] = median(f["cost_ms"] for f in floors)
        result["ratio"] = median(p["cost_ms"] / f["cost_ms"] for p, f in zip(
            pages, floors, strict=True) if f["cost_ms"] > 0)
        result["ratio_of_medians"] = result["cost_ms"] / result["floor_cost_ms"]
    if cold_sample:
        result["cold"] = {k: v for k, v in cold_sample.items() if not k.startswith("_")}
    # The run whose cost is the median, and its slowest queries.
    ordered = sorted(pages, key=lambda s: s["cost_ms"])
    mid = ordered[len(ordered) // 2]
    top = sorted(mid["_queries"], key=lambda q: q["ms"], reverse=True)
    result["sql"] = [q["sql"][:300] for q in mid["_queries"]]
    result["top_queries"] = [{"ms": q["ms"], "sql": q["sql"][:SQL_KEEP]} for q in top[:5]]
    if top:
        slowest = {"ms": top[0]["ms"], "sql": top[0]["sql"][:SQL_KEEP],
                   "share_of_sql": top[0]["ms"] / mid["sql_ms"] if mid["sql_ms"] else None}
        if with_explain and not top[0]["many"]:
            slowest.update(explain(top[0]["sql"], top[0]["params"]))
        result["slowest"] = slowest
    return result


def percentile(values, q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between the nearest ranks."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    at = (len(values) - 1) * q / 100
    low = int(at)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (at - low)


def semantic_result(page: dict, runs: int) -> dict:
    """The page with the embedding backend off and on, in turn."""
    client = client_for(page["cookie"])
    modes = ("off", "local")
    for mode in modes * 2:  # warm: templates, connection, each mode's first request
        settings.SEARCH_EMBEDDINGS = mode
        client.get(page["path"])
    samples = {mode: [] for mode in modes}
    for _ in range(runs):
        for mode in modes:
            settings.SEARCH_EMBEDDINGS = mode
            samples[mode].append(measure(client, page["path"]))
    settings.SEARCH_EMBEDDINGS = "off"
    out = {}
    for mode, rows in samples.items():
        out["on" if mode == "local" else "off"] = {
            **{f"{k}_{stat}": f([r[k] for r in rows]) for k in ("wall_ms", "cost_ms", "sql_ms",
                                                                  "cpu_ms")
               for stat, f in (("median", median), ("p95", lambda v: percentile(v, 95)))},
            "queries": sorted({r["queries"] for r in rows}),
            "statuses": sorted({r["status"] for r in rows}),
            "wall_each_ms": [round(r["wall_ms"], 2) for r in rows]}
    return out


def main_semantic(pages: list[dict], runs: int) -> None:
    from ideas import semantic

    connection.settings_dict["CONN_MAX_AGE"] = None
    settings.SEARCH_EMBEDDINGS = "local"
    t0 = time.perf_counter()
    backend = semantic.get_backend()  # loaded once per process, as in a web worker
    out = {"runs": runs, "cores": os.cpu_count(), "model": backend.name,
           "model_load_s": time.perf_counter() - t0, "loadavg_start": os.getloadavg(),
           "pages": {}}
    settings.SEARCH_EMBEDDINGS = "off"
    for page in pages:
        result = semantic_result(page, runs)
        result["loadavg"] = os.getloadavg()
        out["pages"][page["name"]] = result
        off, on = result["off"], result["on"]
        print(f"  {page['name']:<46} off {off['wall_ms_median']:7.1f} / p95 "
              f"{off['wall_ms_p95']:7.1f} ms   on {on['wall_ms_median']:7.1f} / p95 "
              f"{on['wall_ms_p95']:7.1f} ms   load {result['loadavg'][0]:.1f}",
              file=sys.stderr, flush=True)
    out["loadavg_end"] = os.getloadavg()
    print(json.dumps(out, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages_file")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-cold", action="store_true")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--semantic", action="store_true",
                        help="Each page with the embedding backend off and on, in turn.")
    args = parser.parse_args()
    pages = json.loads(Path(args.pages_file).read_text())["pages"]
    if args.semantic:
        main_semantic(pages, args.runs)
        return
    by_name = {p["name"]: p for p in pages}
    # One connection for the whole run (production keeps them DB_CONN_MAX_AGE seconds): the
    # backend whose CPU time is read stays the same.
    connection.settings_dict["CONN_MAX_AGE"] = None
    out = {"runs": args.runs, "cores": os.cpu_count(), "loadavg_start": os.getloadavg(),
           "pages": {}}
    for page in pages:  # the process warmed on every page first (imports, templates)
        client_for(page["cookie"]).get(page["path"])
    for page in pages:
        floor = by_name.get(page.get("floor") or "")
        t0 = time.perf_counter()
        result = page_result(page, floor, args.runs, not args.no_cold, not args.no_explain)
        result["seconds"] = time.perf_counter() - t0
        result["loadavg"] = os.getloadavg()
        out["pages"][page["name"]] = result
        ratio = f"{result['ratio']:5.2f}x" if result.get("ratio") else "   -  "
        print(f"  in-process {page['name']:<44} cost {result['cost_ms']:8.1f} ms "
              f"(cpu {result['cpu_ms']:.1f} + sql {result['sql_ms']:.1f}, "
              f"{result['queries']:.0f} q) {ratio}", file=sys.stderr, flush=True)
    out["loadavg_end"] = os.getloadavg()
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
