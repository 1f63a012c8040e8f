"""The dashboard's rollup of ideas (portal.rollup): the figures read from it are the ones
a direct count over the ideas gives, whatever happened to the ideas and whether the
changed days were recounted yet."""

import io
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas import services
from ideas.models import Idea, Metric, Stage
from people.models import Department
from portal import rollup
from portal.dashboard import _at, idea_figures, months_between
from portal.models import (
    IdeaDayDecisions,
    IdeaDayFigures,
    IdeaDirtyDay,
    IdeaMonthFigures,
    IdeaRollupState,
)
from shared.workdays import current_holidays, working_days_between
from tests.factories import DepartmentFactory
from tests.ideas.factories import IdeaFactory, answer_questions

pytestmark = pytest.mark.django_db


def reference_figures(*, start: date, end: date, department=None) -> dict:
    """The dashboard's idea figures as they were computed before the rollup: straight
    from the ideas (kept here verbatim as the definition of every figure)."""
    from ideas.selectors import default_response_target, overdue_q, stage_target

    ideas = Idea.objects.filter(status=Idea.Status.SUBMITTED, submitted_at__date__gte=start,
                                submitted_at__date__lte=end)
    if department is not None:
        ideas = ideas.filter(department=department)
    counted = {(r["month"].year, r["month"].month): r["n"]
               for r in ideas.annotate(month=TruncMonth("submitted_at")).values("month")
               .annotate(n=Count("pk")).order_by("month")}
    per_month = [{"month": month, "n": counted.get((month.year, month.month), 0)}
                 for month in months_between(start, end)]
    funnel_counts = dict(ideas.values_list("stage").annotate(n=Count("pk")))
    funnel = [{"stage": s, "n": funnel_counts.get(s.pk, 0)} for s in Stage.objects.all()]
    decided = ideas.filter(first_decided_at__isnull=False)
    outcome = decided.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(stage__kind__in=Stage.ACCEPTED_KINDS)))
    pairs = (decided.annotate(_s=TruncDate("submitted_at"), _d=TruncDate("first_decided_at"))
             .values_list("_s", "_d").annotate(n=Count("pk")).order_by())
    waits: dict[int, int] = defaultdict(int)
    holidays = current_holidays()
    for submitted, first_decided, n in pairs:
        waits[working_days_between(submitted, first_decided, holidays=holidays)] += n
    default = default_response_target()
    targets = [t for t in (stage_target(stage, default)
                           for stage in Stage.objects.filter(kind=Stage.Kind.OPEN))
               if t is not None]
    target = sum(targets) if targets else None
    in_time = sum(n for days, n in waits.items() if days <= target) if target else None
    open_ideas = ideas.exclude(stage__kind__in=Stage.CLOSED_KINDS)
    # Ideas without a department come last among equal counts, on every database.
    overdue = [{"department": Department.objects.filter(pk=row["department"]).first(),
                "n": row["n"]}
               for row in open_ideas.filter(overdue_q()).values("department")
               .annotate(n=Count("pk"))
               .order_by("-n", F("department__name").asc(nulls_last=True))]
    implemented = dict(ideas.filter(stage__kind=Stage.Kind.IMPLEMENTED)
                       .values_list("metric").annotate(n=Count("pk")))
    return {
        "submitted": ideas.count(),
        "per_month": per_month,
        "funnel": funnel,
        "acceptance_rate": (round(100 * outcome["accepted"] / outcome["total"])
                            if outcome["total"] else None),
        "decided": outcome["total"],
        "median_working_days": _at(waits, 0.5), "p90_working_days": _at(waits, 0.9),
        "target_working_days": target,
        "within_target": (round(100 * in_time / outcome["total"])
                          if in_time is not None and outcome["total"] else None),
        "overdue": overdue, "overdue_total": sum(r["n"] for r in overdue),
        "implemented_by_metric": [{"metric": label, "n": implemented.get(value, 0)}
                                  for value, label in Metric.choices],
    }


def rollup_rows() -> list[tuple]:
    return [
        sorted(IdeaDayFigures.objects.values_list(
            "day", "department_pk", "stage_pk", "metric", "decided_on", "n"),
            key=lambda r: (r[0], r[1], r[2], r[3], r[4] or date.min)),
        sorted(IdeaMonthFigures.objects.values_list(
            "month", "department_pk", "stage_pk", "metric", "decided", "n")),
        sorted(IdeaDayDecisions.objects.values_list("day", "decided_on", "n")),
    ]


def assert_figures_match(periods, departments):
    for start, end in periods:
        for department in [None, *departments]:
            assert idea_figures(start=start, end=end, department=department) == \
                reference_figures(start=start, end=end, department=department), \
                (start, end, department)


def local(day: date, minutes: int) -> datetime:
    """An instant `minutes` after the local midnight starting `day`."""
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(minutes=minutes)


def random_instant(rng: random.Random, today: date) -> datetime:
    day = today - timedelta(days=rng.randrange(0, 75))
    # Many near the local midnights, where time zones matter.
    minutes = rng.choice([0, 1, 60 * 24 - 1, rng.randrange(60 * 24)])
    return local(day, minutes)


@pytest.mark.parametrize(("seed", "zone"), [(1, "UTC"), (2, "America/New_York"),
                                            (3, "Asia/Kathmandu"), (4, "Pacific/Kiritimati")])
def test_the_rollup_gives_the_figures_of_a_direct_count(settings, reviewer, seed, zone):
    """A few dozen ideas submitted, moved, decided, withdrawn, moved to other days and
    departments, deleted: the figures match a direct count before the changed days are
    recounted (counted live), after (from the rollup), and the rollup kept up to date
    equals one rebuilt from scratch."""
    settings.TIME_ZONE = zone
    settings.HOLIDAYS = {(timezone.localdate() - timedelta(days=d)).isoformat()
                         for d in (3, 10, 11, 40)}
    rng = random.Random(seed)
    today = timezone.localdate()
    departments = [DepartmentFactory() for _ in range(3)]
    stages = list(Stage.objects.all())
    accepted, declined = Stage.objects.get(name="Accepted"), Stage.objects.get(name="Declined")
    periods = [(today - timedelta(days=45), today), (today - timedelta(days=365), today),
               (today - timedelta(days=70), today - timedelta(days=20)),
               (today - timedelta(days=3), today - timedelta(days=3)),
               # whole months only
               ((today.replace(day=1) - timedelta(days=70)).replace(day=1),
                today.replace(day=1) - timedelta(days=1))]

    ideas = []
    for _ in range(36):
        idea = IdeaFactory(department=rng.choice(departments), metric=rng.choice(METRICS))
        submitted = random_instant(rng, today)
        Idea.objects.filter(pk=idea.pk).update(submitted_at=submitted,
                                               stage_entered_at=submitted)
        ideas.append(idea)
    for idea in rng.sample(ideas, 12):  # decided some days later, in some stage
        idea.refresh_from_db()
        stage = rng.choice(stages)
        decided_at = idea.submitted_at + timedelta(hours=rng.randrange(0, 24 * 30))
        Idea.objects.filter(pk=idea.pk).update(
            stage=stage, first_decided_at=decided_at if stage.is_decided else None,
            decided_at=decided_at if stage.is_decided else None)
    for idea in rng.sample(ideas, 6):  # through the service, today
        idea.refresh_from_db()
        if not idea.stage.is_decided and idea.stage.allowed_next.filter(pk=accepted.pk):
            answer_questions(idea)
            services.idea_transition(idea=idea, to_stage=accepted, actor=reviewer,
                                     reason="Yes.")
    IdeaFactory(status=Idea.Status.DRAFT)
    assert IdeaDirtyDay.objects.exists()
    assert_figures_match(periods, departments)  # every changed day counted live

    rollup.refresh()
    assert not IdeaDirtyDay.objects.exists()
    assert rollup.period_counts(start=periods[1][0], end=today)["live_days"] == 0
    assert_figures_match(periods, departments)  # all from the rollup

    # More changes, of every kind the figures depend on.
    for idea in rng.sample(ideas, 20):
        idea.refresh_from_db()
        change = rng.choice(["department", "day", "withdraw", "metric", "decide",
                             "delete", "undecide", "counter"])
        if change == "department":
            idea.department = rng.choice([*departments, None])
            idea.save()
        elif change == "day":
            Idea.objects.filter(pk=idea.pk).update(submitted_at=random_instant(rng, today))
        elif change == "withdraw":
            Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.WITHDRAWN,
                                                   withdrawn_at=timezone.now())
        elif change == "metric":
            Idea.objects.filter(pk=idea.pk).update(metric=rng.choice(METRICS))
        elif change == "decide":
            Idea.objects.filter(pk=idea.pk).update(
                stage=declined, first_decided_at=idea.first_decided_at or timezone.now())
        elif change == "undecide":
            Idea.objects.filter(pk=idea.pk).update(stage=stages[0], first_decided_at=None)
        elif change == "counter":  # not counted: marks nothing
            Idea.objects.filter(pk=idea.pk).update(support_count=5)
        else:
            idea.delete()
    Department = departments[0].__class__
    Department.objects.filter(pk=departments[2].pk).delete()  # ideas' department -> NULL
    assert_figures_match(periods, departments[:2])  # the rollup, the changed days live

    rollup.refresh()
    assert not IdeaDirtyDay.objects.exists()
    assert_figures_match(periods, departments[:2])
    kept_up = rollup_rows()
    rollup.refresh(full=True)
    assert rollup_rows() == kept_up


METRICS = [value for value, _ in Metric.choices]


def test_triggers_mark_the_old_and_the_new_day_and_only_for_counted_columns():
    rollup.refresh()
    idea = IdeaFactory(submitted_at=timezone.make_aware(datetime(2026, 3, 2, 12)))
    assert set(IdeaDirtyDay.objects.values_list("day", flat=True)) == {date(2026, 3, 2)}
    rollup.refresh()
    Idea.objects.filter(pk=idea.pk).update(support_count=3, comment_count=2, title="New")
    assert not IdeaDirtyDay.objects.exists()
    Idea.objects.filter(pk=idea.pk).update(submitted_at=timezone.make_aware(
        datetime(2026, 4, 5, 12)))
    assert set(IdeaDirtyDay.objects.values_list("day", flat=True)) == {
        date(2026, 3, 2), date(2026, 4, 5)}
    rollup.refresh()
    Idea.objects.filter(pk=idea.pk).delete()
    assert set(IdeaDirtyDay.objects.values_list("day", flat=True)) == {date(2026, 4, 5)}
    rollup.refresh()
    draft = IdeaFactory(status=Idea.Status.DRAFT)
    rollup.refresh()
    draft.refresh_from_db()
    draft.title = "Still a draft"
    draft.save()  # never submitted: no day
    assert not IdeaDirtyDay.objects.exists()
    Idea.objects.bulk_create([Idea(title="Bulk", problem="p", delight="d", metric=Metric.NPS,
                                   submitter=idea.submitter, status=Idea.Status.SUBMITTED,
                                   submitted_at=timezone.make_aware(datetime(2025, 1, 1, 9)))])
    assert set(IdeaDirtyDay.objects.values_list("day", flat=True)) == {date(2025, 1, 1)}


def test_changed_days_are_drained_by_the_beat_job(settings):
    from portal.celery import app
    from portal.tasks import refresh_dashboard_rollup

    entry = settings.CELERY_BEAT_SCHEDULE["portal-dashboard-rollup"]
    assert entry["task"] == refresh_dashboard_rollup.name in app.tasks
    IdeaFactory.create_batch(3)
    assert IdeaDirtyDay.objects.exists()
    result = refresh_dashboard_rollup.delay().get()
    assert result["full"] is False and result["days"] >= 1
    assert not IdeaDirtyDay.objects.exists()
    assert sum(IdeaDayFigures.objects.values_list("n", flat=True)) == 3
    assert refresh_dashboard_rollup() == {"full": False, "days": 0, "rows": 0}


def test_a_dashboard_read_meeting_changed_days_queues_a_refresh(
        django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.delete("portal:rollup-refresh-queued")
    IdeaFactory()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        idea_figures(start=today, end=today)
    assert not IdeaDirtyDay.objects.exists()  # the task ran in-process (eager in tests)
    assert rollup.period_counts(start=today, end=today)["live_days"] == 0


def test_the_query_count_does_not_depend_on_ideas_or_changed_days(reviewer):
    today = timezone.localdate()
    start = today - timedelta(days=365)

    def count() -> int:
        idea_figures(start=start, end=today)  # what is kept per process (stages) is kept
        with CaptureQueriesContext(connection) as queries:
            idea_figures(start=start, end=today)
        return len(queries)

    empty = count()
    for i, idea in enumerate(IdeaFactory.create_batch(8)):
        Idea.objects.filter(pk=idea.pk).update(submitted_at=timezone.now() - timedelta(days=i))
    dirty = count()
    rollup.refresh()
    clean = count()
    IdeaRollupState.objects.update(time_zone="Europe/Paris")  # built for another zone
    assert count() == empty == dirty == clean


def test_a_rollup_built_for_another_time_zone_is_not_used_and_is_rebuilt(settings):
    IdeaFactory(submitted_at=timezone.make_aware(datetime(2026, 3, 2, 23, 30)))
    rollup.refresh()
    settings.TIME_ZONE = "Asia/Bangkok"  # 23:30 UTC is the next morning there
    period = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    assert rollup.period_counts(**period)["live_days"] == 31
    assert idea_figures(**period) == reference_figures(**period)
    assert rollup.refresh()["full"] is True
    assert rollup_rows()[0][0][0] == date(2026, 3, 3)
    assert rollup.period_counts(**period)["live_days"] == 0
    assert idea_figures(**period) == reference_figures(**period)


def test_periods_at_the_ends_of_the_calendar(settings):
    for zone in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
        settings.TIME_ZONE = zone
        for start, end in [(date(1, 1, 1), date(3, 1, 1)), (date(9998, 1, 1),
                                                              date(9999, 12, 31))]:
            assert idea_figures(start=start, end=end) == reference_figures(start=start, end=end)


def test_missing_triggers_are_put_back_after_migrate_and_every_day_recounted():
    IdeaFactory(submitted_at=timezone.make_aware(datetime(2026, 5, 6, 10)))
    rollup.refresh()
    rollup.remove_triggers(connection)
    assert rollup.installed_triggers(connection) == set()
    IdeaFactory(submitted_at=timezone.make_aware(datetime(2026, 5, 7, 10)))  # unseen
    assert not IdeaDirtyDay.objects.exists()
    rollup.ensure_triggers(using=connection.alias)
    assert rollup.installed_triggers(connection) == set(rollup.TRIGGERS)
    assert set(IdeaDirtyDay.objects.values_list("day", flat=True)) == {
        date(2026, 5, 6), date(2026, 5, 7)}
    period = {"start": date(2026, 5, 1), "end": date(2026, 5, 31)}
    assert idea_figures(**period)["submitted"] == 2


def test_rebuild_command_and_generated_ideas():
    call_command("generate_ideas", ideas=120, seed=5, stdout=io.StringIO())
    today = timezone.localdate()
    periods = [(today - timedelta(days=365), today), (today - timedelta(days=1500), today)]
    assert_figures_match(periods, [])  # the generated days counted live
    out = io.StringIO()
    call_command("rebuild_dashboard_rollup", stdout=out)
    assert "Recounted everything" in out.getvalue()
    assert not IdeaDirtyDay.objects.exists()
    assert sum(IdeaDayFigures.objects.values_list("n", flat=True)) == Idea.objects.filter(
        status=Idea.Status.SUBMITTED).count()
    assert_figures_match(periods, [])
    call_command("rebuild_dashboard_rollup", "--changed-only", stdout=out)
    assert "Recounted 0 changed days" in out.getvalue()


def test_working_day_waits_equal_working_days_between(settings):
    rng = random.Random(7)
    settings.WEEKEND_DAYS = {4, 5}
    holidays = ["2026-01-01", "2026-01-01", "2026-01-03", "2026-02-14", "2026-03-09"]
    pairs = {}
    for _ in range(300):
        a = date(2025, 12, 1) + timedelta(days=rng.randrange(150))
        b = a + timedelta(days=rng.randrange(-5, 60))
        pairs[a, b] = rng.randrange(1, 4)
    expected: dict[int, int] = defaultdict(int)
    for (a, b), n in pairs.items():
        expected[working_days_between(a, b, holidays=holidays)] += n
    assert rollup.working_day_waits(pairs, holidays) == expected
    assert rollup.working_day_waits({}, holidays) == {}


def test_the_demo_data_is_counted_right():
    import os

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    today = timezone.localdate()
    periods = [(today - timedelta(days=365), today), (today - timedelta(days=30), today)]
    assert_figures_match(periods, [])
    rollup.refresh()
    assert_figures_match(periods, [])
