"""Journey 5: an employee nominates a colleague as customer champion for a department
without one; a programme admin approves; the roster and the coverage change."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in
from .data import OPEN_DEPARTMENT

pytestmark = pytest.mark.e2e

REASON = "Kim calls back every customer who complained last quarter."


def test_nomination_approved_changes_roster_and_coverage(e2e, new_page):
    nominee = e2e.people["nominee"]
    employee = sign_in(new_page(), e2e, "nominator")
    employee.get_by_role("navigation", name="Main").get_by_role("link", name="Champions").click()
    roster = employee.get_by_role("region", name="Champions")
    expect(roster.get_by_role("rowheader", name="Chai Champion")).to_be_visible()
    expect(roster.get_by_role("rowheader", name=nominee["name"])).to_have_count(0)
    employee.get_by_role("link", name="33% of departments covered (1 of 3)").click()
    gaps = employee.get_by_role("region", name="Gaps and terms ending soon")
    expect(gaps.get_by_role("listitem").filter(has_text=OPEN_DEPARTMENT)).to_be_visible()

    gaps.get_by_role("link", name="Nominate a champion").click()
    # The person chooser: type part of a name, pick the suggestion with the keyboard.
    who = employee.get_by_label("Who?")
    who.press_sequentially(nominee["name"][:4])
    employee.get_by_role("option").filter(has_text=nominee["email"]).wait_for()
    chosen = employee.locator("[role=option][aria-selected=true]").filter(
        has_text=nominee["email"])
    for _ in range(10):  # at most ten suggestions
        who.press("ArrowDown")
        if chosen.count():
            break
    who.press("Enter")
    expect(who).to_have_value(nominee["email"])
    expect(employee.get_by_label("For which department?")).to_have_value(
        employee.get_by_label("For which department?").get_by_role(
            "option", name=OPEN_DEPARTMENT).get_attribute("value"))
    employee.get_by_label("Why this person?").fill(REASON)
    employee.get_by_role("button", name="Send nomination").click()
    employee.get_by_text("Thank you. Programme admins will review the nomination").wait_for()

    admin = sign_in(new_page(), e2e, "admin")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Champions").click()
    admin.get_by_role("navigation", name="Champions").get_by_role(
        "link", name="Nominations").click()
    nomination = admin.get_by_role("article").filter(
        has=admin.get_by_role("heading", name=f"{nominee['name']} — {OPEN_DEPARTMENT}"))
    expect(nomination).to_contain_text(REASON)
    expect(nomination).to_contain_text("Nominated by Noor Nominator")
    nomination.get_by_role("button", name="Approve: start a term").click()
    admin.get_by_text("Approved: the term starts today.").wait_for()

    # The employee sees the roster and the coverage change.
    employee.get_by_role("navigation", name="Champions").get_by_role(
        "link", name="Roster").click()
    roster = employee.get_by_role("region", name="Champions")
    row = roster.get_by_role("row").filter(
        has=employee.get_by_role("rowheader", name=nominee["name"]))
    expect(row).to_contain_text(OPEN_DEPARTMENT)
    employee.get_by_role("link", name="67% of departments covered (2 of 3)").click()
    expect(employee.get_by_text("of departments have an active champion (2 of 3).")).to_be_visible()
    gaps = employee.get_by_role("region", name="Gaps and terms ending soon")
    expect(gaps.get_by_role("listitem").filter(has_text=OPEN_DEPARTMENT)).to_have_count(0)
    table = employee.get_by_role("region", name="Champions per department")
    expect(table.get_by_role("row", name=OPEN_DEPARTMENT)).to_contain_text("Covered")

    # The nominee hears about it by e-mail.
    [mail] = e2e.wait_for_mail(to=nominee["email"], subject="is now customer champion",
                               timeout=60)
    assert OPEN_DEPARTMENT in mail.subject
