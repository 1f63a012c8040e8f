"""Coverage figures on a known data set, from the selector and on the page."""

import re

import pytest

from champions import selectors
from people.models import Department
from tests.factories import DepartmentFactory, UserFactory

from .factories import TermFactory, as_user, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    """Five departments:
    Customer Service (100 people): 1 champion, ends in 31 days -> covered, nothing ending
    Claims, under Customer Service (40): 2 champions, one ends in 10 days -> covered
    Sales (50): 1 champion, ends in exactly 30 days -> ending
    Engineering (30): only a past term, an ended one and one starting later -> gap
    Product (0 people): nobody -> gap, no per-100 figure"""
    service = DepartmentFactory(name="Customer Service", head_count=100)
    claims = DepartmentFactory(name="Claims", head_count=40, parent=service)
    sales = DepartmentFactory(name="Sales", head_count=50)
    engineering = DepartmentFactory(name="Engineering", head_count=30)
    DepartmentFactory(name="Product", head_count=0)

    def person(name):
        return UserFactory(display_name=name, department=engineering)

    TermFactory(person=person("Cara"), department=service, ends_on=days(31))
    TermFactory(person=person("Chai"), department=claims, ends_on=days(200))
    TermFactory(person=person("Kim"), department=claims, ends_on=days(10))
    TermFactory(person=person("Sara"), department=sales, ends_on=days(30))
    TermFactory(person=person("Pat"), department=engineering, starts_on=days(-400),
                ends_on=days(-35), ended_on=days(-35))
    TermFactory(person=person("Eve"), department=engineering, starts_on=days(-30),
                ends_on=days(300), ended_on=days(-2))
    TermFactory(person=person("Uma"), department=engineering, starts_on=days(3),
                ends_on=days(300))
    # An unended term past its end (the daily job has not run yet) is not active.
    TermFactory(person=person("Old"), department=sales, starts_on=days(-400),
                ends_on=days(-1))
    admin = UserFactory(display_name="Ada Admin", department=engineering,
                        roles=["Programme admin"])
    assert Department.objects.count() == 5
    return admin


def test_coverage_figures(known):
    data = selectors.coverage()
    rows = {d.name: (d.active_champions, d.ending_soon, d.per_hundred, d.status)
            for d in data["departments"]}
    assert rows == {
        "Customer Service": (1, 0, 1.0, "covered"),
        "Claims": (2, 1, 5.0, "covered"),
        "Sales": (1, 1, 2.0, "ending"),
        "Engineering": (0, 0, 0.0, "gap"),
        "Product": (0, 0, None, "gap"),
    }
    assert (data["total"], data["covered"], data["percentage"]) == (5, 3, 60)
    assert [d.name for d in data["gaps"]] == ["Engineering", "Product"]
    assert [d.name for d in data["ending"]] == ["Claims", "Sales"]
    tree = {node["department"].name: [c["department"].name for c in node["children"]]
            for node in data["tree"]}
    assert tree == {"Customer Service": ["Claims"], "Engineering": [], "Product": [],
                    "Sales": []}


def test_coverage_on_a_given_day(known):
    # In 15 days Kim's term (ends in 10) is over and Cara's ends within 30 days.
    data = selectors.coverage(today=days(15))
    rows = {d.name: (d.active_champions, d.ending_soon) for d in data["departments"]}
    assert rows["Claims"] == (1, 0)
    assert rows["Customer Service"] == (1, 1)
    assert rows["Engineering"] == (1, 0)  # Uma has started


def test_coverage_with_no_departments(db):
    data = selectors.coverage()
    assert (data["total"], data["covered"], data["percentage"]) == (0, 0, 0)


def cells(page: str, department: str) -> list[str]:
    row = re.search(rf'<th scope="row" dir="auto">{department}</th>(.*?)</tr>', page, re.S)
    assert row, department
    return [re.sub(r"\s+", " ", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)]


def test_coverage_page_shows_the_figures(known):
    page = as_user(known).get("/champions/coverage/").content.decode()
    assert "<strong>60%</strong>" in page and "(3 of 5)" in page
    assert cells(page, "Claims") == ["40", "2", "5.0", "1", "Covered"]
    assert cells(page, "Sales") == ["50", "1", "2.0", "1", "Ending soon"]
    assert cells(page, "Product") == ["0", "0", "—", "0", "No champion"]
    assert cells(page, "Engineering") == ["30", "0", "0.0", "0", "No champion"]
    assert 'class="dept dept--gap"' in page and 'class="dept dept--ending"' in page
    roster = as_user(known).get("/champions/").content.decode()
    assert "60% of departments covered (3 of 5)" in roster
