"""The programme endpoints (/api/v1/champions/..., /insights, /onboarding/me,
/newsletter/issues): each role gets what the matching intranet page shows it, nothing
more; bad input is a problem response, never a 500; lists cost the same number of
queries whatever their length."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from champions.models import Insight
from people import roles
from people.models import Channel
from tests.champions.factories import (
    InsightFactory,
    TermFactory,
    as_user,
    days,
    published_issue,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory
from training.models import Enrolment

pytestmark = pytest.mark.django_db

API = "/api/v1"
LISTS = ["/champions/roster", "/insights", "/newsletter/issues"]
ENDPOINTS = [*LISTS, "/champions/coverage", "/onboarding/me"]


def get(user, path, **params):
    response = as_user(user).get(API + path, params)
    return response


def ok(user, path, **params) -> dict:
    response = get(user, path, **params)
    assert response.status_code == 200, (path, response.content)
    return response.json()


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API + path)
    assert response.status_code == 200, (path, response.content)
    return len(queries)


def assert_constant(user, path, add_rows):
    client = as_user(user)
    add_rows(3)
    count_queries(client, path)  # warm what a first request caches (Wagtail's site roots)
    few = count_queries(client, path)
    add_rows(6)
    many = count_queries(client, path)
    assert many == few, f"{path}: {few} queries with 3 rows, {many} with 9"


# --- who may call ------------------------------------------------------------------------

@pytest.mark.parametrize("path", [*ENDPOINTS, "/champions/people/1"])
def test_anonymous_callers_are_refused(client, path):
    response = client.get(API + path)
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["employee", "new_hire", "champion", "reviewer",
                                  "programme_admin"])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_signed_in_role_reads_the_programme(request, role, path):
    # As on the intranet: the roster, coverage, insights, archive and one's own
    # onboarding are open to everyone signed in.
    ok(request.getfixturevalue(role), path)


# --- champions ---------------------------------------------------------------------------

def test_roster_lists_departments_with_their_champions_and_gaps(employee):
    claims = DepartmentFactory(name="Claims")
    DepartmentFactory(name="Billing")
    chai = UserFactory(display_name="Chai Champion", job_title="Claims handler")
    TermFactory(person=chai, department=claims)
    TermFactory(person=UserFactory(display_name="Pat Past"), department=claims,
                starts_on=days(-500), ends_on=days(-100), ended_on=days(-100))

    rows = {row["department"]["name"]: row["champions"] for row in
            ok(employee, "/champions/roster")["items"]}
    assert rows["Billing"] == []                      # a gap shows, with no champion
    [term] = rows["Claims"]
    assert term["person"] == {"id": chai.pk, "name": "Chai Champion",
                              "job_title": "Claims handler"}
    assert term["is_active"] and term["ended_on"] is None
    assert "email" not in term["person"]

    past = ok(employee, "/champions/roster", status="past")["items"]
    assert [(r["department"]["name"], [t["person"]["name"] for t in r["champions"]])
            for r in past] == [("Claims", ["Pat Past"])]
    found = ok(employee, "/champions/roster", q="chai")["items"]
    assert [r["department"]["name"] for r in found] == ["Claims"]
    only = ok(employee, "/champions/roster", department=claims.pk, status="all")["items"]
    assert [len(r["champions"]) for r in only] == [2]


def test_coverage_counts_departments_with_an_active_champion(employee):
    claims = DepartmentFactory(name="Claims", head_count=50)
    TermFactory(department=claims, ends_on=days(10))
    data = ok(employee, "/champions/coverage")
    by_name = {d["name"]: d for d in data["departments"]}
    assert by_name["Claims"] == {"id": claims.pk, "name": "Claims", "parent_id": None,
                                 "head_count": 50, "active_champions": 1, "ending_soon": 1,
                                 "per_hundred": 2.0, "status": "ending"}
    assert data["total"] == len(data["departments"]) and data["covered"] == 1


def test_profile_shows_only_the_sponsored_ideas_the_caller_may_see(employee, reviewer):
    chai = UserFactory(display_name="Chai Champion")
    TermFactory(person=chai, department=DepartmentFactory(name="Claims"))
    IdeaFactory(title="Open call-backs", sponsor=chai)
    IdeaFactory(title="Secret merger", sponsor=chai, confidential=True)
    InsightFactory(author=chai, text="They want one number.")
    published_issue(owner=chai, title="Customer life no. 7")

    seen = ok(employee, f"/champions/people/{chai.pk}")
    assert [i["title"] for i in seen["sponsored_ideas"]] == ["Open call-backs"]
    assert "Secret merger" not in str(seen)
    assert [t["department"]["name"] for t in seen["terms"]] == ["Claims"]
    assert [i["text"] for i in seen["insights"]] == ["They want one number."]
    assert [i["title"] for i in seen["newsletter_issues"]] == ["Customer life no. 7"]
    assert {i["title"] for i in ok(reviewer, f"/champions/people/{chai.pk}")[
        "sponsored_ideas"]} == {"Open call-backs", "Secret merger"}


def test_profile_of_a_missing_or_inactive_person_is_a_404(employee):
    gone = UserFactory(is_active=False)
    assert get(employee, f"/champions/people/{gone.pk}").status_code == 404
    assert get(employee, "/champions/people/987654321").status_code == 404


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "99999999999999999999999"])
def test_a_bad_person_id_is_a_problem_not_a_500(employee, bad):
    response = get(employee, f"/champions/people/{bad}")
    assert response.status_code in (404, 422)
    assert response["Content-Type"].startswith("application/")


# --- insights ----------------------------------------------------------------------------

def test_insights_are_listed_newest_first_and_searchable(employee):
    older = InsightFactory(text="Customers want one number to call.", tags=["phone"])
    newer = InsightFactory(text="Forms ask the same question twice.",
                           customer_segment=CustomerSegmentFactory(name="Movers"),
                           channel=Channel.objects.first())
    items = ok(employee, "/insights")["items"]
    assert [i["id"] for i in items] == [newer.pk, older.pk]
    assert items[1]["tags"] == ["phone"]
    assert items[0]["customer_segment"]["name"] == "Movers"
    assert [i["id"] for i in ok(employee, "/insights", q="number")["items"]] == [older.pk]
    assert [i["id"] for i in ok(employee, "/insights", tag="phone")["items"]] == [older.pk]


def test_insight_pages_follow_the_cursor(employee):
    made = [InsightFactory() for _ in range(5)]
    first = ok(employee, "/insights", limit=2)
    second = ok(employee, "/insights", limit=2, after=first["next"])
    third = ok(employee, "/insights", limit=2, after=second["next"])
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert ids == [i.pk for i in reversed(made)]
    assert third["next"] is None and first["count"] == 5


def test_anyone_signed_in_logs_an_insight_under_their_department(employee):
    segment = CustomerSegmentFactory(name="Movers")
    response = as_user(employee).post(
        f"{API}/insights", {"text": "They move every two years.", "sentiment": "positive",
                            "customer_segment": segment.pk, "tags": ["moves", "forms"]},
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    insight = Insight.objects.get(pk=body["id"])
    assert insight.author == employee and insight.department == employee.department
    assert body["customer_segment"] == {"id": segment.pk, "name": "Movers"}
    assert sorted(body["tags"]) == ["forms", "moves"]


@pytest.mark.parametrize("payload", [
    {"text": ""}, {"text": "x" * 1001}, {"text": "Hi", "sentiment": "furious"},
    {"text": "Hi", "customer_segment": 987654}, {"text": "Hi", "idea": 0},
    {"text": "Hi", "idea": 99999999999999999999999}, {"text": "Hi", "tags": "not-a-list"},
    {"text": "Hi", "tags": ["x" * 600]}, {},
])
def test_bad_insights_are_refused_and_nothing_is_saved(employee, payload):
    response = as_user(employee).post(f"{API}/insights", payload,
                                      content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert not Insight.objects.exists()


def test_an_insight_cannot_point_at_an_idea_the_author_cannot_see(employee, reviewer):
    secret = IdeaFactory(confidential=True)
    response = as_user(employee).post(f"{API}/insights", {"text": "Hi", "idea": secret.pk},
                                      content_type="application/json")
    assert response.status_code == 422
    assert not Insight.objects.exists()
    # The same idea is fine for someone who may see it.
    response = as_user(reviewer).post(f"{API}/insights", {"text": "Hi", "idea": secret.pk},
                                      content_type="application/json")
    assert response.status_code == 201
    assert response.json()["idea_id"] == secret.pk


# --- onboarding --------------------------------------------------------------------------

@pytest.fixture
def modules(db):
    from tests.training.factories import module_page

    return [module_page("who", title="Who our customers are"),
            module_page("moves", title="Military families on the move", quiz=False)]


def test_my_onboarding_is_the_callers_own(new_hire, employee, modules):
    who, moves = modules
    Enrolment.objects.create(user=new_hire, module=who, due_on=days(-1))
    Enrolment.objects.create(user=new_hire, module=moves, due_on=days(10),
                             status=Enrolment.Status.COMPLETED)
    Enrolment.objects.create(user=employee, module=who, due_on=days(3))

    data = ok(new_hire, "/onboarding/me")
    assert [(e["module"]["title"], e["overdue"], e["percent"]) for e in data["enrolments"]] \
        == [("Who our customers are", True, 0), ("Military families on the move", False, 100)]
    assert data["next_due"] == data["enrolments"][0]["id"]
    assert data["enrolments"][0]["module"]["url"].endswith("/who/")
    assert data["enrolments"][0]["resume_url"].endswith("/who-lesson-1/")
    assert data["overall"] == 40  # 2 of 5 steps: 3 of "who" (2 lessons, a quiz) open

    mine = ok(employee, "/onboarding/me")["enrolments"]
    assert [e["module"]["title"] for e in mine] == ["Who our customers are"]
    assert ok(UserFactory(), "/onboarding/me") == {"overall": 0, "next_due": None,
                                                   "enrolments": [], "paths": []}


# --- newsletter --------------------------------------------------------------------------

def test_the_archive_lists_published_issues_newest_first(employee, champion):
    october = published_issue(owner=champion, title="October")
    november = published_issue(owner=champion, title="November")
    draft = published_issue(owner=champion, title="Draft by Cleo")
    draft.unpublish()
    data = ok(employee, "/newsletter/issues")
    assert [i["title"] for i in data["items"]] == ["November", "October"]
    assert data["items"][0]["url"].endswith(november.url)
    assert [i["id"] for i in ok(employee, "/newsletter/issues", q="octo")["items"]] \
        == [october.pk]


def test_an_issue_behind_a_view_restriction_is_left_out_for_those_it_refuses(employee,
                                                                             reviewer,
                                                                             champion):
    published_issue(owner=champion, title="For everyone")
    private = published_issue(owner=champion, title="Reviewers only")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name=roles.REVIEWER)])

    assert [i["title"] for i in ok(employee, "/newsletter/issues")["items"]] \
        == ["For everyone"]
    assert [i["title"] for i in ok(reviewer, "/newsletter/issues")["items"]] \
        == ["Reviewers only", "For everyone"]


# --- bad paging input --------------------------------------------------------------------

@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("cursor", ["zz", "bm9wZQ", "WzEsMiwzLDRd", "!!!"])
def test_a_bad_cursor_is_a_404(employee, path, cursor):
    assert get(employee, path, after=cursor).status_code == 404


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("limit", ["0", "101", "-5", "ten", "1e3", "99999999999999999999"])
def test_a_bad_limit_is_a_problem(employee, path, limit):
    response = get(employee, path, limit=limit)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/")


@pytest.mark.parametrize(("path", "params"), [
    ("/champions/roster", {"status": "everything"}),
    ("/champions/roster", {"department": "987654"}),
    ("/champions/roster", {"department": "abc"}),
    ("/champions/roster", {"q": "x" * 101}),
    ("/insights", {"department": "987654"}),
    ("/insights", {"segment": "0"}),
    ("/insights", {"sentiment": "furious"}),
    ("/insights", {"q": "x" * 201}),
    ("/newsletter/issues", {"q": "x" * 201}),
])
def test_bad_filters_are_a_problem(employee, path, params):
    assert get(employee, path, **params).status_code == 422


# --- query counts ------------------------------------------------------------------------

def test_roster_queries_do_not_grow_with_departments(employee):
    def add(count):
        for _ in range(count):
            department = DepartmentFactory()
            TermFactory(department=department, person=UserFactory(department=department))
            TermFactory(department=department, starts_on=days(-500), ends_on=days(-100),
                        ended_on=days(-100))

    assert_constant(employee, "/champions/roster?status=all", add)


def test_insight_list_queries_do_not_grow_with_insights(employee):
    channel = Channel.objects.first()

    def add(count):
        for n in range(count):
            InsightFactory(customer_segment=CustomerSegmentFactory(), channel=channel,
                           idea=IdeaFactory(), tags=[f"tag-{n}", "shared"])

    assert_constant(employee, "/insights", add)


def test_archive_queries_do_not_grow_with_issues(employee, champion):
    def add(count):
        for _ in range(count):
            published_issue(owner=champion)

    assert_constant(employee, "/newsletter/issues", add)


def test_onboarding_queries_do_not_grow_with_enrolments(new_hire):
    from tests.training.factories import module_page

    made = []

    def add(count):
        for _ in range(count):
            module = module_page(f"module-{len(made)}", lessons=2)
            made.append(module)
            Enrolment.objects.create(user=new_hire, module=module, due_on=days(len(made)))

    assert_constant(new_hire, "/onboarding/me", add)
