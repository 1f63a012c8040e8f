"""The CX programme dashboard. Every figure is an aggregation in the database, so the
page costs the same number of queries at 100 ideas or 100,000; the ideas' figures are
read from a rollup kept by the database (portal.rollup), so they cost about the same
time too."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from people.models import Department
from shared.charts import bar_chart, line_chart  # noqa: F401 - the page's charts
from shared.fragments import kept
from shared.parsing import DateRangeForm, IdModelChoiceField
from shared.workdays import current_holidays

from . import rollup


def _at(counts: dict[int, int], fraction: float):
    """The value at `fraction` of the ordered values, from {value: how many}."""
    n = sum(counts.values())
    if not n:
        return None
    index = min(n - 1, int(fraction * (n - 1) + 0.5))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if index < seen:
            return value
    return None


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from start's to end's, so a month without ideas
    shows as 0 rather than vanishing from the chart. Counted as month numbers, so a
    period ending in December 9999 does not step into year 10000."""
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    return [date(n // 12, n % 12 + 1, 1) for n in range(first, last + 1)]


class DashboardFilterForm(DateRangeForm):
    """The dashboard's period (at most DateRangeForm.MAX_YEARS) and department."""

    department = IdModelChoiceField(queryset=Department.objects.all(), required=False)


def idea_figures(*, start: date, end: date, department=None) -> dict:
    """The ideas' figures for the period: counts from the rollup (portal.rollup: a few
    narrow rows per day, the days changed since it was refreshed counted live), the
    overdue ideas live (they depend on today and the calendar; open ideas only)."""
    from ideas.models import Idea, Metric, Stage
    from ideas.selectors import (
        default_response_target,
        open_stage_ids,
        overdue_by_department,
        stage_target,
    )

    counts = rollup.period_counts(start=start, end=end, department=department)
    stages = list(Stage.objects.all())
    kinds = {stage.pk: stage.kind for stage in stages}
    by_month: dict[tuple[int, int], int] = defaultdict(int)
    by_stage: dict[int, int] = defaultdict(int)
    implemented: dict[str, int] = defaultdict(int)
    submitted = decided = accepted = 0
    for month, stage, metric, was_decided, n in counts["groups"]:
        submitted += n
        by_month[month.year, month.month] += n
        by_stage[stage] += n
        kind = kinds.get(stage)
        if was_decided:
            decided += n
            if kind in Stage.ACCEPTED_KINDS:
                accepted += n
        if kind == Stage.Kind.IMPLEMENTED:
            implemented[metric] += n
    per_month = [{"month": month, "n": by_month.get((month.year, month.month), 0)}
                 for month in months_between(start, end)]
    funnel = [{"stage": s, "n": by_stage.get(s.pk, 0)} for s in stages]
    waits = rollup.working_day_waits(counts["pairs"], current_holidays())
    # Before its first decision an idea may pass through every open stage, each with
    # its own response-time target: the first decision is on time within their sum.
    # An open stage without a target of its own has the programme's default one.
    default = default_response_target()
    targets = [t for t in (stage_target(stage, default)
                           for stage in stages if stage.kind == Stage.Kind.OPEN)
               if t is not None]
    target = sum(targets) if targets else None
    in_time = sum(n for days, n in waits.items() if days <= target) if target else None
    ideas = Idea.objects.filter(status=Idea.Status.SUBMITTED, submitted_at__date__gte=start,
                                submitted_at__date__lte=end)
    if department is not None:
        ideas = ideas.filter(department=department)
    # By stage id (no join): the overdue index per stage then serves the count.
    by_department = overdue_by_department(ideas.filter(stage__in=open_stage_ids()))
    # Department rows, not names: the figures are cached for every reader, and each
    # reads the name in their own language (department.name) when the page is shown.
    departments = kept("people.departments",
                       lambda: {d.pk: d for d in Department.objects.all()})
    overdue = sorted(({"department": departments.get(pk), "n": n}
                      for pk, n in by_department.items()),
                     # Ideas without a department last among equal counts.
                     key=lambda row: (-row["n"], row["department"] is None,
                                      row["department"].name_en if row["department"] else ""))
    return {
        "submitted": submitted,
        "per_month": per_month,
        "funnel": funnel,
        "acceptance_rate": round(100 * accepted / decided) if decided else None,
        "decided": decided,
        "median_working_days": _at(waits, 0.5), "p90_working_days": _at(waits, 0.9),
        "target_working_days": target,
        "within_target": (round(100 * in_time / decided)
                          if in_time is not None and decided else None),
        "overdue": overdue, "overdue_total": sum(r["n"] for r in overdue),
        "implemented_by_metric": [{"metric": label, "n": implemented.get(value, 0)}
                                  for value, label in Metric.choices],
    }


def champion_figures() -> dict:
    from champions.selectors import coverage

    data = coverage()
    return {"percentage": data["percentage"], "covered": data["covered"], "total": data["total"],
            "gaps": data["gaps"]}


def onboarding_figures(*, department=None) -> dict:
    from training.selectors import report

    data = report(department=department)
    return {"cohorts": data["cohorts"], "overdue": data["overdue_count"],
            "total": data["total"], "completed": data["completed"]}


def newsletter_figures() -> dict:
    from newsletter.models import Delivery, NewsletterIssuePage, Send

    issues = (NewsletterIssuePage.objects.live().annotate(read_count=Count("reads", distinct=True))
              .order_by("-first_published_at")[:12])
    deliveries = Delivery.objects.aggregate(
        sent=Count("pk", filter=Q(status="sent")), failed=Count("pk", filter=Q(status="failed")))
    return {"issues_sent": Send.objects.count(), "deliveries": deliveries,
            "issues": list(issues)}


def campaign_figures(*, start: date, end: date, department=None) -> list[dict]:
    """Per campaign, its ideas submitted in the period and how far they got. Counted
    live (one query, plus one for the campaigns' titles): only ideas in a campaign."""
    from ideas.models import CampaignPage, Idea, Stage

    ideas = Idea.objects.filter(status=Idea.Status.SUBMITTED, campaign__isnull=False,
                                submitted_at__date__gte=start, submitted_at__date__lte=end)
    if department is not None:
        ideas = ideas.filter(department=department)
    rows = list(ideas.order_by().values("campaign").annotate(
        total=Count("pk"),
        decided=Count("pk", filter=Q(stage__kind__in=Stage.DECIDED_KINDS)),
        accepted=Count("pk", filter=Q(stage__kind__in=Stage.ACCEPTED_KINDS)),
        implemented=Count("pk", filter=Q(stage__kind=Stage.Kind.IMPLEMENTED))))
    campaigns = {c.pk: c for c in CampaignPage.objects.filter(
        pk__in=[r["campaign"] for r in rows]).only("title", "url_path", "closes_on")}
    figures = [{**row, "title": campaigns[row["campaign"]].title,
                "closes_on": campaigns[row["campaign"]].closes_on}
               for row in rows if row["campaign"] in campaigns]
    return sorted(figures, key=lambda row: (row["closes_on"], row["campaign"]), reverse=True)


def measured_impacts(*, start: date, end: date, department=None):
    """The measurements taken in the period (measured_on) of submitted ideas."""
    from ideas.models import Idea, ImpactMeasurement

    rows = ImpactMeasurement.objects.filter(idea__status=Idea.Status.SUBMITTED,
                                            measured_on__gte=start, measured_on__lte=end)
    if department is not None:
        rows = rows.filter(idea__department=department)
    return rows


def impact_figures(*, start: date, end: date, department=None) -> dict:
    """Measured customer impact per metric (and unit: a score and a percentage do not
    add up), and per department and campaign × metric: ideas measured, average before
    and after, total and average change, how many improved. Three grouped queries
    (plus the campaigns' titles), whatever the number of measurements."""
    from ideas.models import CampaignPage, ImpactMeasurement

    measurements = measured_impacts(start=start, end=end, department=department)
    figures = {"n": Count("pk"), "before": Avg("baseline"), "after": Avg("measured"),
               "change": Sum(F("measured") - F("baseline")),
               "average_change": Avg(F("measured") - F("baseline")),
               "improved": Count("pk", filter=ImpactMeasurement.improved_q())}
    def grouped(*by):
        # Metric codes, not labels: the figures are cached for readers of every language.
        return list(measurements.order_by().values(*by, "metric", "unit").annotate(**figures)
                    .order_by(*by, "metric", "unit"))

    departments = kept("people.departments",
                       lambda: {d.pk: d for d in Department.objects.all()})
    by_department = grouped("idea__department")
    for row in by_department:
        row["department"] = departments.get(row.pop("idea__department"))
    by_campaign = [row for row in grouped("idea__campaign") if row["idea__campaign"]]
    titles = dict(CampaignPage.objects.filter(
        pk__in={row["idea__campaign"] for row in by_campaign}).values_list("pk", "title"))
    for row in by_campaign:
        row["campaign"] = titles.get(row.pop("idea__campaign"), "")
    return {"by_metric": grouped(), "by_department": by_department,
            "by_campaign": by_campaign}


def insight_figures(*, start: date, end: date, department=None) -> dict:
    """How fast customer insights logged in the period were answered (champions'
    24-hour clock): the share within the target, per department and per month."""
    from champions.selectors import insight_answer_figures

    data = insight_answer_figures(start=start, end=end, department=department)
    departments = kept("people.departments",
                       lambda: {d.pk: d for d in Department.objects.all()})
    for row in data["by_department"]:
        row["department"] = departments.get(row["department"])
    for row in data["by_month"]:
        row["month"] = timezone.localtime(row["month"]).date() if hasattr(
            row["month"], "hour") else row["month"]
    return data


def programme_figures(*, start: date, end: date, department=None, refresh=False) -> dict:
    """Every figure on the dashboard, computed together and kept in the shared cache for
    DASHBOARD_CACHE_SECONDS. The ideas' figures come from the rollup (portal.rollup); the
    other panels still aggregate their tables, so a programme dashboard may be a few
    minutes old, it says how old, and "Refresh" recomputes it. The page and its CSV
    exports read the same cached figures, so they always agree."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    key = f"dashboard:v4:{start.isoformat()}:{end.isoformat()}:{getattr(department, 'pk', 0)}"
    if seconds > 0 and not refresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    data = {
        "ideas": idea_figures(start=start, end=end, department=department),
        "campaigns": campaign_figures(start=start, end=end, department=department),
        "impact": impact_figures(start=start, end=end, department=department),
        "insights": insight_figures(start=start, end=end, department=department),
        "champions": champion_figures(),
        "onboarding": onboarding_figures(department=department),
        "newsletter": newsletter_figures(),
        "computed_at": timezone.now(),
    }
    if seconds > 0:
        cache.set(key, data, seconds)
    return data


def default_period() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=365), today
