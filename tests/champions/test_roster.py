"""The roster: filters by department, status and name; bad filter values answer 400."""

import pytest

from tests.factories import DepartmentFactory, UserFactory

from .factories import TermFactory, as_user, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(db):
    claims = DepartmentFactory(name="Claims")
    sales = DepartmentFactory(name="Sales")
    TermFactory(person=UserFactory(display_name="Anong Active"), department=claims,
                starts_on=days(-400))
    TermFactory(person=UserFactory(display_name="Bahar Sales"), department=sales)
    TermFactory(person=UserFactory(display_name="สมศรี ใจดี"), department=sales)
    TermFactory(person=UserFactory(display_name="Piet Past"), department=claims,
                starts_on=days(-500), ends_on=days(-100), ended_on=days(-100))
    TermFactory(person=UserFactory(display_name="Uri Upcoming"), department=claims,
                starts_on=days(10), ends_on=days(375))
    return {"claims": claims, "sales": sales}


NAMES = ["Anong Active", "Bahar Sales", "สมศรี ใจดี", "Piet Past", "Uri Upcoming"]


def shown(client, query="") -> list[str]:
    """The champions listed (rows of departments without one are left out)."""
    response = client.get(f"/champions/?{query}")
    assert response.status_code == 200, query
    return [row["term"].person.name for row in response.context["rows"] if row["term"]]


def gaps(client, query="") -> list[str]:
    """The departments listed as "No champion"."""
    response = client.get(f"/champions/?{query}")
    assert response.status_code == 200, query
    return [row["department"].name for row in response.context["rows"] if not row["term"]]


def test_roster_lists_active_champions_by_default(roster, employee):
    client = as_user(employee)
    assert shown(client) == ["Anong Active", "Bahar Sales", "สมศรี ใจดี"]
    page = client.get("/champions/").content.decode()
    assert "1\xa0year" in page  # Anong has served for over a year
    assert f"/champions/meeting/{roster['claims'].pk}/" in page


@pytest.mark.parametrize("query, expected", [
    ("status=active", ["Anong Active", "Bahar Sales", "สมศรี ใจดี"]),
    ("status=past", ["Piet Past"]),
    ("status=upcoming", ["Uri Upcoming"]),
    ("status=all", ["Anong Active", "Piet Past", "Uri Upcoming", "Bahar Sales", "สมศรี ใจดี"]),
    ("status=all&department={claims}", ["Anong Active", "Piet Past", "Uri Upcoming"]),
    ("department={sales}", ["Bahar Sales", "สมศรี ใจดี"]),
    ("q=bahar", ["Bahar Sales"]),
    ("q=ใจดี", ["สมศรี ใจดี"]),
    ("q=past", []),
    ("q=past&status=past", ["Piet Past"]),
    ("q=nobody", []),
])
def test_roster_filters(roster, employee, query, expected):
    query = query.format(claims=roster["claims"].pk, sales=roster["sales"].pk)
    assert shown(as_user(employee), query) == expected


@pytest.mark.parametrize("query", ["status=bogus", "department=abc", "department=999999",
                                   "department=-1", "q=" + "x" * 101])
def test_bad_roster_filters_answer_400(roster, employee, query):
    response = as_user(employee).get(f"/champions/?{query}")
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()


def test_bad_roster_page_is_404_not_500(roster, employee):
    assert as_user(employee).get("/champions/?page=abc").status_code == 404
    assert as_user(employee).get("/champions/?page=9").status_code == 404


def test_bad_nominations_status_shows_all_for_admins(programme_admin):
    assert as_user(programme_admin).get("/champions/nominations/?status=x").status_code == 200


def test_profile_of_unknown_or_inactive_person_is_404(employee):
    gone = UserFactory(is_active=False)
    client = as_user(employee)
    assert client.get("/champions/people/999999/").status_code == 404
    assert client.get(f"/champions/people/{gone.pk}/").status_code == 404


def test_roster_lists_every_department_with_no_champion_rows(roster, employee):
    empty = DepartmentFactory(name="Archive team")
    client = as_user(employee)
    response = client.get("/champions/")
    rows = response.context["rows"]
    names = [row["department"].name for row in rows]
    assert names == sorted(names)
    assert "Archive team" in gaps(client)
    # Claims has only an active, a past and an upcoming term: covered, not a gap.
    assert "Claims" not in gaps(client) and "Sales" not in gaps(client)
    page = response.content.decode()
    assert "No champion" in page
    assert f"/champions/meeting/{empty.pk}/" in page
    # Filters still apply to the gap rows.
    assert gaps(client, f"department={empty.pk}") == ["Archive team"]
    assert shown(client, f"department={empty.pk}") == []
    assert gaps(client, f"department={roster['claims'].pk}") == []
    assert "Archive team" in gaps(client, "status=all")
    assert gaps(client, "status=past") == [] and gaps(client, "status=upcoming") == []
    assert gaps(client, "q=bahar") == []
    # A department whose only champion's term ended is a gap in the active view.
    gone = DepartmentFactory(name="Garage")
    TermFactory(department=gone, starts_on=days(-500), ends_on=days(-100),
                ended_on=days(-100))
    assert "Garage" in gaps(client)
    assert "Garage" not in gaps(client, "status=past")


def test_served_counts_to_the_end_of_a_term_or_today(employee):
    claims = DepartmentFactory(name="Claims")
    TermFactory(person=UserFactory(display_name="Ended Early"), department=claims,
                starts_on=days(-800), ends_on=days(-35), ended_on=days(-435))
    TermFactory(person=UserFactory(display_name="Ran Out"), department=claims,
                starts_on=days(-100), ends_on=days(-40))
    TermFactory(person=UserFactory(display_name="Starts Today"), department=claims,
                starts_on=days(0), ends_on=days(365))
    later = TermFactory(person=UserFactory(display_name="Later On"), department=claims,
                        starts_on=days(10), ends_on=days(375))
    client = as_user(employee)
    response = client.get(f"/champions/?status=all&department={claims.pk}")
    served = {}
    for row in response.context["rows"]:
        term = row["term"]
        served[term.person.name] = (term.served_days, term.is_upcoming)
    assert served == {"Ended Early": (365, False), "Ran Out": (60, False),
                      "Starts Today": (0, False), "Later On": (0, True)}
    page = response.content.decode()
    assert "1\xa0year" in page  # served until it ended, not until today (2 years)
    assert "2\xa0years" not in page
    assert "0 days" in page
    assert "starts on" in page and str(later.starts_on.year) in page


def test_roster_pages_by_department(employee, settings):
    for n in range(35):
        DepartmentFactory(name=f"Unit {n:02d}")
    client = as_user(employee)
    first, second = client.get("/champions/"), client.get("/champions/?page=2")
    assert first.status_code == second.status_code == 200
    listed = [r["department"].name for r in first.context["rows"] + second.context["rows"]]
    assert len(listed) == len(set(listed)) >= 35
