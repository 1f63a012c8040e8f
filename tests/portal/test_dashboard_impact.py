"""The dashboard sums measured customer impact per metric, department and campaign, and
exports the totals and every measurement as CSV."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import ImpactMeasurement
from tests.champions.factories import as_user
from tests.factories import DepartmentFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-12-31", "refresh": "1"}


def measured(*, metric="csat", unit="score", baseline, after, department=None, campaign=None,
             title="Idea", confidential=False, on=date(2026, 11, 20)):
    idea = IdeaFactory(title=title, metric=metric, confidential=confidential,
                       campaign=campaign, **({"department": department} if department else {}))
    return ImpactMeasurement.objects.create(idea=idea, metric=metric, unit=unit,
                                            baseline=baseline, measured=after,
                                            measured_on=on, method="Survey")


def test_figures_per_metric_with_churn_improving_when_it_falls(programme_admin):
    claims = DepartmentFactory(name="Claims")
    measured(baseline="3.4", after="4.2", department=claims)
    measured(baseline="4.0", after="3.8", department=claims)  # worse
    measured(metric="churn", unit="percent", baseline="12", after="9.5", department=claims)
    measured(baseline="2", after="5", on=date(2025, 6, 1))  # outside the period
    page = as_user(programme_admin).get("/dashboard/", PERIOD).content.decode()
    assert "Measured customer impact" in page
    # CSAT: two ideas, 3.7 → 4 on average, +0.6 in total, one improved.
    assert "3.7 → 4" in page and "+0.6" in page
    # Churn fell: an improvement, shown as a negative change.
    assert "12 → 9.5 %" in page and "-2.5" in page

    lines = as_user(programme_admin).get(
        "/dashboard/", {**PERIOD, "export": "impact"}).content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("department,campaign,metric,unit,ideas measured,average before,"
                        "average after,total change,average change,improved")
    assert "Claims,,churn,percent,1,12.0,9.5,-2.5,-2.5,1" in lines
    assert "Claims,,csat,score,2,3.7,4.0,0.6,0.3,1" in lines


def test_every_measurement_export_lists_only_ideas_the_reader_may_open(programme_admin,
                                                                       reviewer):
    measured(baseline="3", after="4", title="=HYPERLINK(evil)")
    measured(baseline="3", after="4", title="A confidential change", confidential=True)
    raw = as_user(programme_admin).get("/dashboard/", {**PERIOD, "export":
                                                       "impact_measurements"})
    assert raw["Content-Type"] == "text/csv; charset=utf-8"
    text = raw.content.decode("utf-8-sig")
    assert "'=HYPERLINK(evil)" in text  # neutralised, never a formula
    assert text.splitlines()[0].startswith("idea,title,department,campaign,metric")
    # The programme admin may see confidential ideas; a reviewer without the dashboard
    # permission gets nothing at all.
    assert as_user(reviewer).get("/dashboard/", {"export": "impact_measurements"}
                                 ).status_code == 403


def test_nothing_measured_says_so(programme_admin):
    page = as_user(programme_admin).get("/dashboard/", PERIOD).content.decode()
    assert "No impact was measured in this period yet." in page


def test_impact_costs_the_same_whatever_the_number_of_measurements(programme_admin):
    client = as_user(programme_admin)
    measured(baseline="3", after="4")
    client.get("/dashboard/", PERIOD)
    with CaptureQueriesContext(connection) as few:
        client.get("/dashboard/", PERIOD)
    for n in range(5):
        measured(baseline="3", after=str(4 + n % 2), department=DepartmentFactory())
    client.get("/dashboard/", PERIOD)
    with CaptureQueriesContext(connection) as many:
        client.get("/dashboard/", PERIOD)
    assert len(many) == len(few)
