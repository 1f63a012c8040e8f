"""Journey 4: a champion drafts a newsletter issue in the Wagtail admin and submits it
for approval; a programme admin approves and publishes it; the Celery worker e-mails it
over SMTP, exactly once to every subscribed employee and to nobody else."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import sign_in, wait_until

pytestmark = pytest.mark.e2e

TITLE = "Customer life: retirees on the phone"
HEADING = "ลูกค้าผู้สูงอายุรอสายนานเกินไป"
STORY = "Retirees told us they wait too long on the phone to report a claim."


def open_admin(page):
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Admin", exact=True).click()


def test_champion_drafts_admin_publishes_every_subscriber_gets_one_email(e2e, new_page):
    champion = sign_in(new_page(), e2e, "champion")
    open_admin(champion)
    champion.get_by_role("navigation", name="Main menu").get_by_role(
        "button", name="Pages").click()
    champion.get_by_role("dialog", name="Page explorer").get_by_role(
        "link", name="Newsletter").click()
    champion.get_by_role("heading", name="Exploring: Newsletter").wait_for()
    champion.get_by_role("link", name="Add child page").click()
    champion.get_by_role("heading", name="New: Newsletter issue").wait_for()
    champion.get_by_role("textbox", name="Title*").fill(TITLE)
    champion.get_by_role("textbox", name="Introduction").fill(
        "What our customers told the champions this month.")
    champion.get_by_role("button", name="Insert a block").click()
    champion.get_by_role("option", name="Story").click()
    story = champion.get_by_role("region", name="Story")
    story.get_by_role("textbox", name="Heading*").fill(HEADING)
    # Draftail's editor has no label of its own: it is the story's second text box.
    editor = story.get_by_role("textbox").nth(1)
    editor.click()
    editor.press_sequentially(STORY)
    expect(editor).to_have_text(STORY)
    # Draftail copies its content into the form's hidden input a moment after the last
    # keystroke (debounced); a person pauses longer than that before submitting.
    expect(champion.locator("input[name='body-0-value-text']")).to_have_value(
        re.compile(re.escape(STORY[:20])))
    champion.get_by_role("button", name="More actions").click()
    champion.get_by_role("button", name="Submit to Newsletter approval").click()
    expect(champion.get_by_role("status")).to_contain_text(
        f"Page '{TITLE}' created and submitted for moderation.")
    expect(champion.get_by_role("row", name=TITLE)).to_contain_text("in moderation")

    # Nothing goes out before the approval.
    assert e2e.data("send_state", title=TITLE)["status"] is None
    subscribers = set(e2e.data("subscribers"))
    assert e2e.people["opted_out"]["email"] not in subscribers
    assert e2e.people["champion"]["email"] in subscribers

    admin = sign_in(new_page(), e2e, "admin")
    open_admin(admin)
    review = admin.get_by_role("region", name="Awaiting your review")
    review.get_by_role("link", name=TITLE).click()
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name="Approve and Publish", exact=True).click()
    # First a confirmation that says how many people the issue will reach.
    admin.get_by_text(f"This will e-mail {len(subscribers)} people.").wait_for()
    admin.get_by_role("button", name=f"Approve and e-mail {len(subscribers)} people").click()
    admin.wait_for_load_state()

    def issue_mails():
        return [m for m in e2e.mails() if m.subject == TITLE]

    e2e.wait_for_mail(subject=TITLE, count=len(subscribers), timeout=90)
    state = wait_until(lambda: (s := e2e.data("send_state", title=TITLE))["status"] == "done"
                       and s, timeout=60, interval=1, what="the send to finish")
    assert state["deliveries"] == {address: "sent" for address in subscribers}
    mails = issue_mails()
    recipients = sorted(address for mail in mails for address in mail.to)
    assert recipients == sorted(subscribers)  # each exactly once, nobody else
    mail = next(m for m in mails if e2e.people["reviewer"]["email"] in m.to)
    assert "What our customers told the champions this month." in mail.text, mail.text
    assert mail.message["List-Unsubscribe"].startswith(f"<{e2e.url}/subscriptions/")

    # The issue is on the intranet too.
    reader = sign_in(new_page(), e2e, "reviewer")
    reader.get_by_role("navigation", name="Main").get_by_role("link", name="Newsletter").click()
    reader.get_by_role("link", name=TITLE).click()
    expect(reader.get_by_role("heading", name=HEADING)).to_be_visible()
