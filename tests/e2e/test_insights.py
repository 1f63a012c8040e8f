"""Journey 7: the customer's voice heard within a day. A champion logs an insight; the
department's champion (its owner) is told, acknowledges it within the 24-hour target
and turns it into an idea; the person who logged it hears both by e-mail; the
dashboard's "answered within 24 hours" share moves."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in
from .data import SEGMENT

pytestmark = pytest.mark.e2e

INSIGHT = "A widower told me he gave up on our claim form: it asks for his wife's PIN."
NOTE = "Calling him back today; the form team is looking at the PIN step."
TITLE = "Let a family member claim without the policyholder's PIN"


def _insights_panel(page):
    page.goto("/dashboard/?refresh=1")
    return page.get_by_role("region", name="Customer insights answered within 24 hours")


def test_an_insight_is_answered_within_a_day_and_becomes_an_idea(e2e, new_page):
    chai, lina = e2e.people["champion"], e2e.people["listener"]
    admin = sign_in(new_page(), e2e, "admin")
    expect(_insights_panel(admin)).to_contain_text(
        "No customer insights were logged in this period.")

    # Lina, a champion of Customer service, logs what a customer said.
    listener = sign_in(new_page(), e2e, "listener")
    listener.get_by_role("navigation", name="Main").get_by_role("link", name="Champions").click()
    listener.get_by_role("navigation", name="Champions").get_by_role(
        "link", name="Customer insights").click()
    listener.get_by_text("Log an insight from a customer conversation").click()
    listener.get_by_label("What you learned").fill(INSIGHT)
    listener.get_by_label("Negative").check()
    listener.get_by_role("button", name="Log insight").click()
    listener.get_by_text("Thank you: your insight is in the log.").wait_for()

    # Chai, the department's first champion, owns it and is told by e-mail.
    [assigned] = e2e.wait_for_mail(to=chai["email"], subject="yours to answer by")
    owner = sign_in(new_page(), e2e, "champion")
    owner.get_by_role("navigation", name="Main").get_by_role("link", name="Champions").click()
    owner.get_by_role("navigation", name="Champions").get_by_role(
        "link", name="Insights to answer").click()
    owner.get_by_role("link", name=INSIGHT[:40]).click()
    expect(owner.get_by_text("Owner: Chai Champion")).to_be_visible()
    owner.get_by_label("acknowledged").check()
    owner.get_by_label("What was done").fill(NOTE)
    owner.get_by_role("button", name="Save").click()
    owner.get_by_text("Saved. The person who logged it is told.").wait_for()
    expect(owner.get_by_text("Answered within the target")).to_be_visible()

    # Then turns it into an idea: the form arrives prefilled with the customer's words.
    owner.get_by_role("link", name="Turn into an idea").click()
    expect(owner.get_by_label("What customers experience today")).to_have_value(INSIGHT)
    owner.get_by_label("Title").fill(TITLE)
    owner.get_by_label("Which customer is affected").select_option(label=SEGMENT)
    owner.get_by_label("Why it will delight them").fill("He can claim in one visit.")
    owner.get_by_label("Customer metric it should move").select_option(value="csat")
    owner.get_by_role("button", name="Submit idea").click()
    evidence = owner.get_by_role("heading", name="Customer evidence")
    expect(evidence).to_be_visible()
    expect(owner.get_by_role("blockquote").filter(has_text=INSIGHT)).to_be_visible()

    # Lina hears what was done, and that it became an idea.
    [answered] = e2e.wait_for_mail(to=lina["email"], subject="is now “acknowledged”")
    assert NOTE in answered.text
    [became] = e2e.wait_for_mail(to=lina["email"], subject="became an idea")
    assert TITLE in became.subject

    # The dashboard's share moves: one insight, answered in time.
    panel = _insights_panel(admin)
    expect(panel).to_contain_text("100%")
    expect(panel).to_contain_text("(1 in time, 0 late or overdue, 0 with the clock still running)")
