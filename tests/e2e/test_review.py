"""Journey 2: a reviewer triages an idea (assign, score, move it on and decline it with
a reason); the submitter sees the decision and the reason, and has the e-mail."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in
from .data import TRIAGE_IDEA

pytestmark = pytest.mark.e2e

REASON = "ลูกค้าได้รับการแจ้งเตือนทาง SMS แล้ว: the claim reminder SMS already does this."


def move(page, stage, reason=""):
    panel = page.get_by_role("region", name="Review")
    panel.get_by_label("Move to").select_option(label=stage)
    panel.get_by_label("Reason (the submitter reads this)").fill(reason)
    panel.get_by_role("button", name="Save review", exact=True).click()


def test_reviewer_declines_with_a_reason_and_the_submitter_hears_back(e2e, new_page):
    reviewer = sign_in(new_page(), e2e, "reviewer")
    reviewer.get_by_role("link", name="Open the review queue").click()
    reviewer.get_by_role("heading", name="Review queue").wait_for()

    # Assign from the queue.
    reviewer.get_by_role("checkbox", name=f"Select “{TRIAGE_IDEA}”").check()
    bulk = reviewer.get_by_role("group", name="Assign the selected ideas")
    bulk.get_by_label("Assign to").select_option(label="Rui Reviewer")
    bulk.get_by_role("button", name="Assign selected").click()
    reviewer.get_by_text("1 idea(s) assigned.").wait_for()
    row = reviewer.get_by_role("row").filter(
        has=reviewer.get_by_role("link", name=TRIAGE_IDEA))
    expect(row.get_by_role("cell", name="Rui Reviewer")).to_be_visible()

    # Score it.
    row.get_by_role("link", name=TRIAGE_IDEA).click()
    scores = reviewer.get_by_role("group", name="Your scores")
    scores.get_by_label("Customer impact").fill("4")
    scores.get_by_label("Reach").fill("3")
    scores.get_by_label("Confidence").fill("4")
    scores.get_by_label("Effort").fill("2")
    reviewer.get_by_role("region", name="Review").get_by_role(
        "button", name="Save review", exact=True).click()
    reviewer.get_by_text("Your scores were saved.").wait_for()
    table = reviewer.get_by_role("region", name="Reviewers' scores")
    expect(table.get_by_role("row", name="Rui Reviewer")).to_be_visible()

    # Move it on: Triage, In review, then Declined (a reason is required there).
    move(reviewer, "Triage")
    reviewer.get_by_text("Moved to Triage.").wait_for()
    move(reviewer, "In review")
    reviewer.get_by_text("Moved to In review.").wait_for()
    move(reviewer, "Declined")
    reviewer.get_by_text("Give a reason: the submitter will read it.").wait_for()
    move(reviewer, "Declined", REASON)
    reviewer.get_by_text("Moved to Declined.").wait_for()
    history = reviewer.get_by_role("region", name="Decisions and history")
    expect(history.get_by_text("Rui Reviewer moved it from In review to Declined")).to_be_visible()

    # The submitter sees the decision and its reason under "My ideas"...
    submitter = sign_in(new_page(), e2e, "submitter")
    submitter.get_by_role("link", name="My ideas").click()
    row = submitter.get_by_role("row").filter(has=submitter.get_by_role("link", name=TRIAGE_IDEA))
    expect(row.get_by_role("cell").nth(0)).to_contain_text("Declined")
    decisions = row.get_by_role("cell").last
    expect(decisions).to_contain_text("Declined")
    expect(decisions).to_contain_text(REASON)

    # ...and by e-mail, sent by the Celery worker over SMTP.
    person = e2e.people["submitter"]["email"]
    [mail] = e2e.wait_for_mail(to=person, subject="moved to Declined", timeout=60)
    assert TRIAGE_IDEA in mail.subject
    assert REASON in mail.text
    assert len(e2e.mails(to=person, subject="moved to Declined")) == 1
