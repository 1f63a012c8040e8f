"""The HR report on a known data set, who may see what, and query counts that do not
grow with the number of modules or learners."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from training import selectors, services
from training.models import Enrolment

from .factories import answers_for, complete_module, module_page, onboarding_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_set(basics, moves):
    """Seven enrolments: three completed, two overdue; five quiz attempts."""
    today = timezone.localdate()
    sales, claims = DepartmentFactory(name="Sales"), DepartmentFactory(name="Claims")
    path = onboarding_path("Who our customers are", [(basics, 2), (moves, 5)])
    ana = UserFactory(display_name="Ana Sales", department=sales,
                      start_date=date(2026, 9, 7))
    ben = UserFactory(display_name="=Ben Claims", department=claims,
                      start_date=date(2026, 10, 5))
    cai = UserFactory(display_name="Cai Sales", department=sales,
                      start_date=date(2026, 10, 12))
    dee = UserFactory(display_name="Dee Claims", department=claims, start_date=None)

    def enrol(user, module, days, on_path=True):
        services.enrolment_create(user=user, module=module, actor=None,
                                  due_on=today + timedelta(days=days),
                                  path=path if on_path else None)

    enrol(ana, basics, -20)
    enrol(ana, moves, -3)                 # overdue
    enrol(ben, basics, -1)                # overdue
    enrol(ben, moves, 10)
    enrol(cai, basics, -30)
    enrol(cai, moves, -2)                 # done in time: not overdue
    enrol(dee, basics, 5, on_path=False)  # a single module, no path
    complete_module(ana, basics)                                                  # 100
    services.quiz_submit(user=ben, module=basics,
                         answers=answers_for(basics, wrong=("who-single",)))       # 67
    services.quiz_submit(user=cai, module=basics,
                         answers=answers_for(basics, wrong=("who-single",)))       # 67
    complete_module(cai, basics)                                                  # 100
    complete_module(cai, moves)                                                   # 100
    return {"path": path, "sales": sales, "claims": claims, "people": (ana, ben, cai, dee)}


def strip_rates(rows, key):
    return {row[key]: (row["total"], row["completed"], row.get("overdue"), row["rate"])
            for row in rows}


def test_report_figures(data_set, basics, moves):
    data = selectors.report()
    assert (data["total"], data["completed"]) == (7, 3)
    assert strip_rates(data["per_path"], "path__name") == {
        "Who our customers are": (6, 3, 2, 50), None: (1, 0, 0, 0)}
    assert strip_rates(data["per_department"], "department") == {
        "Claims": (3, 0, 1, 0), "Sales": (4, 3, 1, 75)}
    assert {(r["user__start_date__year"], r["user__start_date__month"]):
            (r["total"], r["completed"], r["rate"]) for r in data["cohorts"]} == {
        (2026, 9): (2, 1, 50), (2026, 10): (4, 2, 50)}
    assert {r["module__title"]: (round(r["average"], 1), r["attempts"])
            for r in data["scores"]} == {basics.title: (83.5, 4), moves.title: (100, 1)}
    assert data["most_failed"] == [(2, basics.title, "How often do military families move?")]
    assert [(e.user.name, e.module_id) for e in data["overdue"]] == [
        ("Ana Sales", moves.pk), ("=Ben Claims", basics.pk)]


def test_report_per_department(data_set):
    data = selectors.report(department=data_set["sales"])
    assert (data["total"], data["completed"]) == (4, 3)
    assert [e.user.name for e in data["overdue"]] == ["Ana Sales"]


def test_report_page_and_csv(data_set, programme_admin, as_user, basics, moves):
    client = as_user(programme_admin)
    html = client.get("/onboarding/report/").content.decode()
    assert "<strong>3</strong> of 7 module enrolments completed" in html
    assert "Ana Sales" in html and "How often do military families move?" in html
    assert "84%" in html                     # average quiz score of the first module
    sales = client.get(f"/onboarding/report/?department={data_set['sales'].pk}")
    assert "<strong>3</strong> of 4 module enrolments completed" in sales.content.decode()
    assert client.get("/onboarding/report/?department=abc").status_code == 400
    assert client.get("/onboarding/report/?department=999999").status_code == 404

    response = client.get("/onboarding/report/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    today = timezone.localdate()
    assert rows == [
        ["person", "department", "module", "due"],
        ["Ana Sales", "Sales", moves.title, str(today - timedelta(days=3))],
        ["'=Ben Claims", "Claims", basics.title, str(today - timedelta(days=1))],
    ]


# Permissions -------------------------------------------------------------------------

def test_a_new_hire_sees_only_their_own_progress(basics, moves, new_hire, employee, as_user):
    services.enrolment_create(user=new_hire, module=basics, actor=None)
    services.enrolment_create(user=employee, module=basics, actor=None)
    services.enrolment_create(user=employee, module=moves, actor=None)
    complete_module(employee, basics)
    html = as_user(new_hire).get("/onboarding/").content.decode()
    assert basics.title in html and moves.title not in html
    assert "0%" in html and "100%" not in html
    assert employee.name not in html
    team = as_user(new_hire).get("/onboarding/team/").content.decode()
    assert "None of your reports has onboarding modules." in team
    assert employee.name not in team


def test_managers_see_only_their_reports(basics, as_user):
    manager, other_manager = UserFactory(), UserFactory()
    mine = UserFactory(display_name="Report of mine", manager=manager)
    theirs = UserFactory(display_name="Someone else's report", manager=other_manager)
    for person in (mine, theirs):
        services.enrolment_create(user=person, module=basics, actor=None,
                                  due_on=date(2026, 12, 1))
    html = as_user(manager).get("/onboarding/team/").content.decode()
    assert "Report of mine" in html and "Someone else" not in html
    assert basics.title in html


@pytest.mark.parametrize("url", ["/onboarding/report/", "/onboarding/report/?format=csv",
                                 "/onboarding/enrol/"])
def test_report_and_enrolment_are_for_programme_admins(url, basics, employee, new_hire,
                                                       reviewer, champion, programme_admin,
                                                       as_user):
    for person in (employee, new_hire, reviewer, champion):
        assert as_user(person).get(url).status_code == 403, person
    assert as_user(new_hire).post("/onboarding/enrol/", {
        "users": [new_hire.pk], "module": basics.pk}).status_code == 403
    assert not Enrolment.objects.exists()
    assert as_user(programme_admin).get(url).status_code == 200


def test_anonymous_people_are_sent_to_sign_in(basics, client):
    lesson = basics.lessons().first()
    path = onboarding_path("Who our customers are", [(basics, 2)])
    for url in ["/onboarding/", "/onboarding/team/", "/onboarding/report/",
                "/onboarding/enrol/", f"/onboarding/modules/{basics.pk}/quiz/",
                f"/onboarding/paths/{path.pk}/certificate/", basics.url, lesson.url,
                "/learn/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url
    assert client.post(lesson.url).status_code == 302
    assert not Enrolment.objects.exists()


# Query counts ------------------------------------------------------------------------

def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_constant(client, url, add_rows):
    client.get(url)                      # warm per-process caches (site root paths)
    few = count_queries(client, url)
    add_rows()
    many = count_queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


def modules_with_progress(user, start, n):
    for i in range(start, start + n):
        module = module_page(f"m{i}", title=f"Module {i}")
        services.enrolment_create(user=user, module=module, actor=None,
                                  due_on=date(2026, 11, 2) + timedelta(days=i))
        first = module.lessons().first()
        services.lesson_complete(user=user, lesson=first)
        services.lesson_seen(user=user, lesson=first)
        wrong = (f"m{i}-tf",) if i % 2 else ()
        services.quiz_submit(user=user, module=module, answers=answers_for(module, wrong=wrong))


def test_my_onboarding_queries_do_not_grow_with_modules(index, new_hire):
    path = onboarding_path("A path", [])
    modules_with_progress(new_hire, 0, 2)
    Enrolment.objects.filter(user=new_hire).update(path=path)
    client = Client()
    client.force_login(new_hire)
    assert_constant(client, "/onboarding/", lambda: modules_with_progress(new_hire, 2, 4))
    assert Enrolment.objects.filter(user=new_hire).count() == 6


def test_report_queries_do_not_grow_with_learners(index, programme_admin):
    def learners(start, n):
        for i in range(start, start + n):
            person = UserFactory(department=DepartmentFactory(name=f"Dept {i}"),
                                 start_date=date(2026, 1 + i, 1))
            modules_with_progress(person, i * 10, 1)
            Enrolment.objects.filter(user=person).update(due_on=date(2020, 1, 1))

    learners(0, 2)
    client = Client()
    client.force_login(programme_admin)
    assert_constant(client, "/onboarding/report/", lambda: learners(2, 4))
    assert len(selectors.report()["overdue"]) == 6


def test_overdue_figure_and_csv_are_complete_beyond_the_page(index, basics, programme_admin,
                                                             monkeypatch):
    monkeypatch.setattr(selectors, "OVERDUE_SHOWN", 3)
    people = [UserFactory(display_name=f"Late {i:02}") for i in range(5)]
    for i, person in enumerate(people):
        services.enrolment_create(user=person, module=basics, actor=None,
                                  due_on=timezone.localdate() - timedelta(days=10 - i))
    data = selectors.report()
    assert len(data["overdue"]) == 3
    assert (data["overdue_count"], data["overdue_more"]) == (5, 2)
    client = Client()
    client.force_login(programme_admin)
    html = client.get("/onboarding/report/").content.decode()
    assert "Overdue (5)" in html
    assert "…and 2 more overdue enrolments" in html
    assert "Late 00" in html and "Late 04" not in html
    response = client.get("/onboarding/report/?format=csv")
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [r[0] for r in rows[1:]] == [p.name for p in people]
    from portal.dashboard import onboarding_figures
    assert onboarding_figures()["overdue"] == 5
