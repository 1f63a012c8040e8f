"""The programme dashboard's rollup of ideas (issue 13): submitted ideas counted by
(submitted day, department, stage, metric, first decided day) in IdeaDayFigures, so a
dashboard cache miss reads a few hundred narrow rows instead of aggregating every idea
of the period four times.

How it stays right:

- **Marking.** Database triggers on the ideas table (installed by the migration, and
  again after every `migrate` if a table rebuild dropped them) add the UTC day of an
  idea's submission to IdeaDirtyDay whenever an idea that is or was submitted is
  inserted, deleted, or has a counted column changed (status, submitted_at, department,
  stage, metric, first_decided_at) - the old day and the new one. Triggers see every
  write: the services, queryset `.update()`, `bulk_create` (generate_ideas), cascades
  and SET_NULLs, raw SQL. The ideas app knows nothing of this (portal is the top layer).
  Days are marked in UTC so the triggers do not depend on settings.TIME_ZONE; a dirty
  UTC day stands for the one to three local days it overlaps.
- **Reading.** `period_counts()` counts the period's days from the rollup, except the
  dirty ones, which it counts live from the ideas (an index range on submitted_at:
  a handful of days), in the same query (UNION ALL). So the figures are exact at every
  moment, the read writes nothing and takes no lock, and its query count is the same
  whatever the number of ideas or dirty days.
- **Refreshing.** `refresh()` (the beat job every few minutes, and a task queued by a
  dashboard read that met dirty days) deletes the dirty marks, then recounts those days
  from the ideas in one INSERT ... SELECT ... GROUP BY, in one transaction. Deleting the
  marks first is what makes it safe against concurrent writes: a mark it deleted was
  committed before, so the recount (a later statement) sees its change; a mark not yet
  committed survives for the next refresh. Refreshes take a row lock on IdeaRollupState,
  so two never recount the same day at once.
- **Rebuilding.** `refresh(full=True)` (`manage.py rebuild_dashboard_rollup`) recounts
  everything; it also happens by itself when the rollup was built for another
  settings.TIME_ZONE (or never): until then the dashboard counts the period live.
"""

import logging
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

logger = logging.getLogger(__name__)

IDEAS_TABLE = "ideas_idea"
DIRTY_TABLE = "portal_ideadirtyday"
STATE_PK = 1
# The columns a figure depends on: a change to any of them re-counts the idea's day.
COUNTED_COLUMNS = ("status", "submitted_at", "department_id", "stage_id", "metric",
                   "first_decided_at")
TRIGGERS = ("portal_idea_rollup_insert", "portal_idea_rollup_update",
            "portal_idea_rollup_delete")
REFRESH_TASK = "portal.refresh_dashboard_rollup"
_DECIDED = ExpressionWrapper(Q(decided_on__isnull=False), output_field=BooleanField())


# --- Triggers --------------------------------------------------------------------------

def _postgresql_triggers() -> list[str]:
    changed = (f"({', '.join(f'OLD.{c}' for c in COUNTED_COLUMNS)}) IS DISTINCT FROM "
               f"({', '.join(f'NEW.{c}' for c in COUNTED_COLUMNS)})")
    return [
        f"""
        CREATE OR REPLACE FUNCTION portal_idea_rollup_mark() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND OLD.submitted_at IS NOT NULL THEN
                INSERT INTO {DIRTY_TABLE} (day)
                VALUES ((OLD.submitted_at AT TIME ZONE 'UTC')::date);
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.submitted_at IS NOT NULL AND (
                    TG_OP = 'INSERT' OR OLD.submitted_at IS NULL
                    OR (OLD.submitted_at AT TIME ZONE 'UTC')::date
                       <> (NEW.submitted_at AT TIME ZONE 'UTC')::date) THEN
                INSERT INTO {DIRTY_TABLE} (day)
                VALUES ((NEW.submitted_at AT TIME ZONE 'UTC')::date);
            END IF;
            RETURN NULL;
        END $$""",  # noqa: S608 - constant table names, no input
        f"DROP TRIGGER IF EXISTS portal_idea_rollup_insert ON {IDEAS_TABLE}",
        f"""CREATE TRIGGER portal_idea_rollup_insert AFTER INSERT ON {IDEAS_TABLE}
        FOR EACH ROW WHEN (NEW.submitted_at IS NOT NULL)
        EXECUTE FUNCTION portal_idea_rollup_mark()""",
        f"DROP TRIGGER IF EXISTS portal_idea_rollup_update ON {IDEAS_TABLE}",
        f"""CREATE TRIGGER portal_idea_rollup_update AFTER UPDATE ON {IDEAS_TABLE}
        FOR EACH ROW WHEN ({changed})
        EXECUTE FUNCTION portal_idea_rollup_mark()""",
        f"DROP TRIGGER IF EXISTS portal_idea_rollup_delete ON {IDEAS_TABLE}",
        f"""CREATE TRIGGER portal_idea_rollup_delete AFTER DELETE ON {IDEAS_TABLE}
        FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL)
        EXECUTE FUNCTION portal_idea_rollup_mark()""",
    ]


def _sqlite_triggers() -> list[str]:
    # Django stores SQLite datetimes as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COUNTED_COLUMNS)
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
        f"""CREATE TRIGGER portal_idea_rollup_insert AFTER INSERT ON {IDEAS_TABLE}
        WHEN NEW.submitted_at IS NOT NULL BEGIN
            INSERT INTO {DIRTY_TABLE} (day) VALUES (date(NEW.submitted_at));
        END""",  # noqa: S608 - constant table names, no input
        f"""CREATE TRIGGER portal_idea_rollup_update AFTER UPDATE ON {IDEAS_TABLE}
        WHEN {changed} BEGIN
            INSERT INTO {DIRTY_TABLE} (day)
                SELECT date(OLD.submitted_at) WHERE OLD.submitted_at IS NOT NULL;
            INSERT INTO {DIRTY_TABLE} (day)
                SELECT date(NEW.submitted_at) WHERE NEW.submitted_at IS NOT NULL
                AND date(NEW.submitted_at) IS NOT date(OLD.submitted_at);
        END""",
        f"""CREATE TRIGGER portal_idea_rollup_delete AFTER DELETE ON {IDEAS_TABLE}
        WHEN OLD.submitted_at IS NOT NULL BEGIN
            INSERT INTO {DIRTY_TABLE} (day) VALUES (date(OLD.submitted_at));
        END""",  # noqa: S608 - constant table names, no input
    ]


def _statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _postgresql_triggers()
    if vendor == "sqlite":
        return _sqlite_triggers()
    raise NotImplementedError(f"The dashboard rollup has no triggers for {vendor}.")


def installed_triggers(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                           "AND tgrelid = %s::regclass", [IDEAS_TABLE])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = %s", [IDEAS_TABLE])
        return {name for (name,) in cursor.fetchall()} & set(TRIGGERS)


def install_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor):
            cursor.execute(statement)


def remove_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {IDEAS_TABLE}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS portal_idea_rollup_mark()")


def mark_every_day(connection, idea_model, dirty_model) -> int:
    """Mark every day with a submitted idea dirty (models passed in: the migration
    passes its historical ones)."""
    days = (idea_model.objects.using(connection.alias).filter(submitted_at__isnull=False)
            .annotate(_d=TruncDate("submitted_at", tzinfo=UTC)).order_by()
            .values_list("_d", flat=True).distinct())
    rows = [dirty_model(day=day) for day in days]
    dirty_model.objects.using(connection.alias).bulk_create(rows, batch_size=1000)
    return len(rows)


def ensure_triggers(sender=None, using="default", **kwargs) -> None:
    """post_migrate: on SQLite, a migration that rebuilds the ideas table (Django copies
    it into a new one) drops its triggers. Put them back, and mark every day dirty,
    since writes may have gone unseen meanwhile."""
    from ideas.models import Idea

    from .models import IdeaDirtyDay

    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    tables = set(connection.introspection.table_names())
    if IDEAS_TABLE not in tables or DIRTY_TABLE not in tables:
        return
    if installed_triggers(connection) == set(TRIGGERS):
        return
    install_triggers(connection)
    marked = mark_every_day(connection, Idea, IdeaDirtyDay)
    logger.warning("Dashboard rollup triggers were missing on %s: reinstalled, %s days "
                   "marked for recounting", using, marked)


# --- Days --------------------------------------------------------------------------------

def _zone():
    return timezone.get_default_timezone()


def _midnight(day: date, tz) -> datetime | None:
    """The first instant of a local day; None at the ends of the calendar (no bound)."""
    if day <= date.min + timedelta(days=1) or day >= date.max - timedelta(days=1):
        return None
    return timezone.make_aware(datetime.combine(day, time.min), tz)


def _day_after(day: date, tz) -> datetime | None:
    """The first instant after a local day; None at the end of the calendar."""
    return _midnight(day + timedelta(days=1), tz) if day < date.max else None


def _utc_days_of(start: date, end: date, tz) -> tuple[date, date]:
    """The UTC days that overlap the local days start..end."""
    first, after = _midnight(start, tz), _day_after(end, tz)
    return (first.astimezone(UTC).date() if first else date.min,
            (after - timedelta(microseconds=1)).astimezone(UTC).date() if after else date.max)


def _local_days_of(utc_day: date, tz) -> list[date]:
    """The local days a UTC day overlaps (one to three, with daylight saving)."""
    try:
        first = datetime.combine(utc_day, time.min, tzinfo=UTC)
        last = first + timedelta(days=1, microseconds=-1)
        a, b = first.astimezone(tz).date(), last.astimezone(tz).date()
    except OverflowError:
        return [utc_day]
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


def _runs(days) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) ranges."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def _submitted_on(days, tz) -> Q:
    """Ideas submitted on any of these local days, as index ranges on submitted_at."""
    condition = Q(pk__in=[])
    for first, last in _runs(days):
        lower, upper = _midnight(first, tz), _day_after(last, tz)
        bounds = Q(submitted_at__isnull=False)
        if lower:
            bounds &= Q(submitted_at__gte=lower)
        if upper:
            bounds &= Q(submitted_at__lt=upper)
        condition |= bounds
    return condition


# --- Counting ------------------------------------------------------------------------------

def _ideas(tz, days=None):
    """Counted ideas (submitted ones), with the rollup's key computed live."""
    from ideas.models import Idea

    ideas = Idea.objects.filter(status=Idea.Status.SUBMITTED, submitted_at__isnull=False)
    if days is not None:
        ideas = ideas.filter(_submitted_on(days, tz))
    return ideas.annotate(_day=TruncDate("submitted_at", tzinfo=tz),
                          _decided_on=TruncDate("first_decided_at", tzinfo=tz))


def _in_runs(field: str, days) -> Q:
    """`field` (a DateField) on any of these days, as ranges."""
    condition = Q(pk__in=[])
    for run in _runs(days):
        condition |= Q(**{f"{field}__range": run})
    return condition


def _month_days(months) -> set[date]:
    """Every day of these months (given by their first days)."""
    days = set()
    for month in months:
        last = (date.max if month.year == date.max.year and month.month == 12
                else (month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
        days.update(month + timedelta(days=i) for i in range((last - month).days + 1))
    return days


def _insert(model, columns: list[str], rows) -> int:
    """INSERT INTO model (columns) SELECT ...: the rows' values(), in the same order."""
    sql, params = rows.query.sql_with_params()
    with connections[model.objects.db].cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {sql}",  # noqa: S608
                       params)
        return cursor.rowcount


def _recount(days, tz) -> int:
    """Replace the rollup rows of these local days (None: all) with a fresh count: the
    days from the ideas, then their months and decision pairs from the days."""
    from .models import IdeaDayDecisions, IdeaDayFigures, IdeaMonthFigures

    day_rows = IdeaDayFigures.objects.all()
    pair_rows = IdeaDayDecisions.objects.all()
    month_rows = IdeaMonthFigures.objects.all()
    if days is not None:
        months = {day.replace(day=1) for day in days}
        day_rows = day_rows.filter(_in_runs("day", days))
        pair_rows = pair_rows.filter(_in_runs("day", days))
        month_rows = month_rows.filter(month__in=months)
    for rows in (day_rows, pair_rows, month_rows):
        rows.delete()
    counted = _insert(
        IdeaDayFigures, ["day", "department_pk", "stage_pk", "metric", "decided_on", "n"],
        _ideas(tz, days)
        .annotate(_department=Coalesce(F("department_id"), Value(0)),
                  _stage=Coalesce(F("stage_id"), Value(0)), _metric=F("metric"))
        .values("_day", "_department", "_stage", "_metric", "_decided_on")
        .annotate(_n=Count("pk")).order_by())
    daily = IdeaDayFigures.objects.all()
    _insert(IdeaDayDecisions, ["day", "decided_on", "n"],
            (daily if days is None else daily.filter(_in_runs("day", days)))
            .filter(decided_on__isnull=False).annotate(_s=F("day"), _d=F("decided_on"))
            .values("_s", "_d").annotate(_n=Sum("n")).order_by())
    _insert(IdeaMonthFigures, ["month", "department_pk", "stage_pk", "metric", "decided", "n"],
            (daily if days is None else daily.filter(_in_runs("day", _month_days(months))))
            .annotate(_month=TruncMonth("day"), _department=F("department_pk"),
                      _stage=F("stage_pk"), _metric=F("metric"), _decided=_DECIDED)
            .values("_month", "_department", "_stage", "_metric", "_decided")
            .annotate(_n=Sum("n")).order_by())
    return counted


def refresh(*, full: bool = False) -> dict:
    """Recount the dirty days (or, with full=True or when the rollup was built for
    another time zone, everything). Safe to run at any time and concurrently."""
    from .models import IdeaDirtyDay, IdeaRollupState

    tz = _zone()
    zone_name = str(tz)
    with transaction.atomic():
        IdeaRollupState.objects.bulk_create([IdeaRollupState(pk=STATE_PK)],
                                            ignore_conflicts=True)
        state = IdeaRollupState.objects.select_for_update().get(pk=STATE_PK)
        full = full or state.time_zone != zone_name
        # The marks go first: each one deleted here was committed before this statement,
        # so the recount below (a later statement) sees the change it stands for.
        with connections[IdeaDirtyDay.objects.db].cursor() as cursor:
            cursor.execute(f"DELETE FROM {DIRTY_TABLE} RETURNING day")  # noqa: S608
            marked = {date.fromisoformat(d) if isinstance(d, str) else d
                      for (d,) in cursor.fetchall()}
        if full:
            rows = _recount(None, tz)
            state.time_zone, state.built_at = zone_name, timezone.now()
            state.save()
            return {"full": True, "days": None, "rows": rows}
        days = {local for day in marked for local in _local_days_of(day, tz)}
        rows = _recount(days, tz) if days else 0
    return {"full": False, "days": len(days), "rows": rows}


def _rollup_is_for(zone_name: str) -> bool:
    from .models import IdeaRollupState

    return (IdeaRollupState.objects.filter(pk=STATE_PK)
            .values_list("time_zone", flat=True).first()) == zone_name


def _dirty_days(start: date, end: date, tz) -> set[date]:
    """The local days of start..end that changed since the rollup counted them."""
    from .models import IdeaDirtyDay

    first, last = _utc_days_of(start, end, tz)
    marked = (IdeaDirtyDay.objects.filter(day__gte=first, day__lte=last)
              .values_list("day", flat=True).distinct())
    return {local for day in marked for local in _local_days_of(day, tz)
            if start <= local <= end}


def _queue_refresh() -> None:
    """Ask a worker to recount (once a minute at most): the next cache miss then reads
    the rollup instead of the ideas."""
    from django.core.cache import cache

    from shared.resilience import publish

    if cache.add("portal:rollup-refresh-queued", 1, 60):
        transaction.on_commit(lambda: publish(REFRESH_TASK))


def _full_months(start: date, end: date) -> tuple[date, date]:
    """The first days of the first and the last whole month within start..end (the
    first after the last: there is none)."""
    try:
        first = start.replace(day=1)
        if first != start:
            first = (first + timedelta(days=32)).replace(day=1)
        last = end.replace(day=1)
        if (end + timedelta(days=1)).day != 1:
            last = (last - timedelta(days=1)).replace(day=1)
    except OverflowError:  # at the ends of the calendar: no whole month there
        return date.max, date.min
    return first, last


def period_counts(*, start: date, end: date, department=None) -> dict:
    """The counted ideas of a period as
    {"groups": [(month, stage pk or 0, metric, decided?, n)],
     "pairs": {(submitted day, first decided day): n}, "live_days": how many days were
    counted from the ideas}. Whole months come from IdeaMonthFigures, the other days
    from IdeaDayFigures, the changed days from the ideas; the pairs from
    IdeaDayDecisions (IdeaDayFigures for a department). Four queries, whatever the
    number of ideas or of changed days."""
    from .models import IdeaDayDecisions, IdeaDayFigures, IdeaMonthFigures

    tz = _zone()
    built = _rollup_is_for(str(tz))
    dirty = _dirty_days(start, end, tz)
    period = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    first_month, last_month = _full_months(start, end)
    if built:
        live = dirty
    else:
        # Never built, or for another time zone: the whole period is counted live until
        # the rebuild is done.
        live = set(period)
        first_month, last_month = date.max, date.min
    live_months = {day.replace(day=1) for day in live}
    months = (IdeaMonthFigures.objects.filter(month__gte=first_month, month__lte=last_month)
              .exclude(month__in=live_months))
    days = IdeaDayFigures.objects.filter(_in_runs("day", {
        day for day in period if day not in live and not (
            first_month <= day.replace(day=1) <= last_month
            and day.replace(day=1) not in live_months)}))
    if department is None:
        pairs = IdeaDayDecisions.objects.filter(day__gte=start, day__lte=end)
    else:
        months = months.filter(department_pk=department.pk)
        days = days.filter(department_pk=department.pk)
        pairs = IdeaDayFigures.objects.filter(day__gte=start, day__lte=end,
                                              department_pk=department.pk,
                                              decided_on__isnull=False)
    if live:
        pairs = pairs.exclude(day__in=live)

    groups = (months.annotate(_month=F("month"), _stage=F("stage_pk"), _metric=F("metric"),
                              _decided=F("decided"))
              .values("_month", "_stage", "_metric", "_decided").annotate(_n=Sum("n"))
              .order_by())
    groups = groups.union(
        days.annotate(_month=TruncMonth("day"), _stage=F("stage_pk"), _metric=F("metric"),
                      _decided=_DECIDED)
        .values("_month", "_stage", "_metric", "_decided").annotate(_n=Sum("n")).order_by(),
        all=True)
    pairs = pairs.annotate(_s=F("day"), _d=F("decided_on"))
    pairs = (pairs.values("_s", "_d", _n=F("n")) if department is None  # one row a pair
             else pairs.values("_s", "_d").annotate(_n=Sum("n")).order_by())
    if live:
        _queue_refresh()
        counted = _ideas(tz, live)
        if department is not None:
            counted = counted.filter(department=department)
        groups = groups.union(
            counted.annotate(
                _month=TruncMonth("_day"), _stage=Coalesce(F("stage_id"), Value(0)),
                _metric=F("metric"),
                _decided=ExpressionWrapper(Q(first_decided_at__isnull=False),
                                           output_field=BooleanField()))
            .values("_month", "_stage", "_metric", "_decided").annotate(_n=Count("pk"))
            .order_by(), all=True)
        pairs = pairs.union(
            counted.filter(first_decided_at__isnull=False)
            .annotate(_s=F("_day"), _d=F("_decided_on"))
            .values("_s", "_d").annotate(_n=Count("pk")).order_by(), all=True)
    pair_counts: dict[tuple[date, date], int] = defaultdict(int)
    for submitted, decided, n in pairs.values_list("_s", "_d", "_n"):
        pair_counts[submitted, decided] += n
    return {"groups": [(r["_month"], r["_stage"], r["_metric"], bool(r["_decided"]), r["_n"])
                       for r in groups],
            "pairs": dict(pair_counts), "live_days": len(live)}


def working_day_waits(pairs: dict[tuple[date, date], int], holidays) -> dict[int, int]:
    """{working days: ideas} from {(submitted day, first decided day): ideas}: exactly
    shared.workdays.working_days_between for each pair, from one running count of working
    days over the dates involved instead of a calendar walk per pair."""
    counts: dict[int, int] = defaultdict(int)
    if not pairs:
        return {}
    lo = min(min(s, d) for s, d in pairs)
    hi = max(max(s, d) for s, d in pairs)
    off: dict[date, int] = defaultdict(int)
    for h in holidays:
        day = date.fromisoformat(h)
        if lo < day <= hi and day.weekday() not in settings.WEEKEND_DAYS:
            off[day] += 1
    # upto[i]: working days in (lo, lo + i].
    upto, total = [0], 0
    for i in range(1, (hi - lo).days + 1):
        day = lo + timedelta(days=i)
        total += (day.weekday() not in settings.WEEKEND_DAYS) - off.get(day, 0)
        upto.append(total)
    for (submitted, decided), n in pairs.items():
        days = upto[(decided - lo).days] - upto[(submitted - lo).days] \
            if decided > submitted else 0
        counts[days] += n
    return dict(counts)
