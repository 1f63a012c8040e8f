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
    response = client.get(f"/champions/?{query}")
    assert response.status_code == 200, query
    return [t.person.name for t in response.context["page"]]


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
