"""Journey 8: a pulse goes to a department on its schedule; two people answer, a third
answers once and cannot answer twice, someone outside the department is not asked, and
the results show to a programme admin."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.e2e

TITLE = "Customer closeness, Claims"
KNOW = "How well do you know what our customers went through this month?"


def answer(page, score, text=""):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Champions").click()
    page.get_by_role("navigation", name="Champions").get_by_role(
        "link", name="Pulse surveys").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("group", name=KNOW).get_by_label(score, exact=True).check()
    if text:
        page.get_by_label("What surprised you?").fill(text)
    page.get_by_role("button", name="Send answers").click()


def test_a_department_pulse_is_answered_once_each_and_the_results_show(e2e, new_page):
    opened = e2e.data("pulse_for_claims", title=TITLE)
    assert opened["opened"] == 1
    pulse_url = f"/champions/pulse/{opened['round']}/"

    # The Claims people are told by e-mail; Field services is not asked.
    e2e.wait_for_mail(to=e2e.people["submitter"]["email"], subject="A pulse survey is open")
    outsider = sign_in(new_page(), e2e, "nominator")
    assert outsider.goto(pulse_url).status == 404

    for key, score, text in [("submitter", "4", "Retirees keep the letter by the phone."),
                             ("sponsor", "5", "")]:
        page = sign_in(new_page(), e2e, key)
        answer(page, score, text)
        page.get_by_text("Thank you: your answers are in.").wait_for()

    third = sign_in(new_page(), e2e, "employee")
    answer(third, "2")
    third.get_by_text("Thank you: your answers are in.").wait_for()
    expect(third.get_by_text("answered, thank you")).to_be_visible()
    # Once is enough: the same form posted again is refused and counts nothing.
    third.goto(pulse_url)
    third.get_by_role("group", name=KNOW).get_by_label("1", exact=True).check()
    third.get_by_role("button", name="Send answers").click()
    third.get_by_text("You have already answered this pulse. Thank you!").wait_for()

    admin = sign_in(new_page(), e2e, "admin")
    admin.goto("/champions/pulse/")
    results = admin.get_by_role("row").filter(has=admin.get_by_role("link", name=TITLE))
    expect(results).to_contain_text("3")
    results.get_by_role("link", name=TITLE).click()
    expect(admin.get_by_text("Round 1, opened")).to_contain_text("3 responses")
    expect(admin.get_by_text("average 3.7")).to_be_visible()
    expect(admin.get_by_role("blockquote").filter(
        has_text="Retirees keep the letter by the phone.")).to_be_visible()
