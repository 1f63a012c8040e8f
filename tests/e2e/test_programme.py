"""Journey 6: the programme end to end. A programme admin launches a campaign in the
Wagtail admin; an employee in its audience answers it with an idea and invites a
colleague, who accepts and is credited; a reviewer takes the idea to Implemented and
names its owner, who records the measured impact; the reviewer thanks the contributors,
who get the e-mail; the recognition board, the co-author's profile, the programme
dashboard and the next newsletter show it all."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import sign_in
from .data import SEGMENT
from .test_review import move

pytestmark = pytest.mark.e2e

CAMPAIGN = "Claims for families on the move"
QUESTION = "How might we make claims easier for families on the move?"
TITLE = "One claim form for the whole household"
PROBLEM = "Families who move house file one claim per person and per policy."
THANKS = "Thank you: families now file one claim instead of four."


def test_campaign_idea_coauthor_impact_thanks_and_recognition(e2e, new_page):
    employee_info, coauthor_info = e2e.people["employee"], e2e.people["coauthor"]
    sponsor_info = e2e.people["sponsor"]
    # The server's day (TIME_ZONE defaults to UTC); a day either side keeps it open.
    today = datetime.now(UTC).date()

    # 1. A programme admin creates and publishes the campaign in the Wagtail admin.
    admin = sign_in(new_page(), e2e, "admin")
    admin.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Admin", exact=True).click()
    admin.get_by_role("navigation", name="Main menu").get_by_role(
        "button", name="Pages").click()
    admin.get_by_role("dialog", name="Page explorer").get_by_role(
        "link", name="Campaigns", exact=True).click()
    admin.get_by_role("heading", name="Exploring: Campaigns").wait_for()
    admin.get_by_role("link", name="Add child page").click()
    admin.get_by_role("heading", name="New: Campaign").wait_for()
    admin.get_by_role("textbox", name="Title*").fill(CAMPAIGN)
    admin.get_by_role("textbox", name="Question*").fill(QUESTION)
    admin.get_by_role("combobox", name="Sponsor").select_option(label=sponsor_info["name"])
    # Typing a date opens Wagtail's date picker over the fields below; Tab closes it.
    picker = admin.locator(".xdsoft_datetimepicker:visible")
    for label, day in [("Opens on*", today - timedelta(days=1)),
                       ("Closes on*", today + timedelta(days=30))]:
        field = admin.get_by_role("textbox", name=label)
        field.fill(day.isoformat())
        expect(picker).to_have_count(1)
        field.press("Tab")
        expect(picker).to_have_count(0)
        expect(field).to_have_value(day.isoformat())
    admin.get_by_role("region", name="Departments in the audience").get_by_role(
        "checkbox", name="Claims", exact=True).check()
    admin.get_by_role("region", name="Customers it is about").get_by_role(
        "checkbox", name=SEGMENT).check()
    expect(admin.get_by_role("checkbox", name="Claims", exact=True)).to_be_checked()
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name="Publish", exact=True).click()
    expect(admin.get_by_role("status")).to_contain_text(
        f"Page '{CAMPAIGN}' created and published.")

    # 2. An employee in the audience finds it on the home page and answers it.
    employee = sign_in(new_page(), e2e, "employee")
    campaigns = employee.get_by_role("region", name="Campaigns asking for your ideas")
    campaigns.get_by_role("link", name=QUESTION).click()
    employee.get_by_role("heading", name=CAMPAIGN, level=1).wait_for()
    expect(employee.get_by_text(f"Sponsored by {sponsor_info['name']}")).to_be_visible()
    employee.get_by_role("link", name="Submit an idea to this campaign").click()
    # The form comes with the campaign chosen.
    expect(employee.get_by_label("Campaign").locator("option:checked")).to_have_text(QUESTION)
    employee.get_by_label("Title").fill(TITLE)
    employee.get_by_label("What customers experience today").fill(PROBLEM)
    employee.get_by_label("Which customer is affected").select_option(label=SEGMENT)
    employee.get_by_label("Why it will delight them").fill("One form, one call, done.")
    employee.get_by_label("Customer metric it should move").select_option(value="csat")
    employee.get_by_role("button", name="Submit idea").click()
    employee.get_by_text("Your idea was submitted").wait_for()
    expect(employee.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    idea_url = employee.url

    # ...and invites a colleague to co-author it, by e-mail address.
    contributors = employee.get_by_role("region", name="Contributors")
    contributors.get_by_label("Colleague's name or e-mail address").fill(
        coauthor_info["email"])
    contributors.get_by_role("button", name="Invite a co-author").click()
    employee.get_by_text(f"{coauthor_info['name']} is invited; they are credited once "
                         "they accept.").wait_for()
    expect(employee.get_by_role("region", name="Contributors").get_by_role(
        "listitem").filter(has_text=coauthor_info["name"])).to_contain_text("(invited)")

    # 3. The colleague follows the invitation's e-mail and accepts.
    [invite] = e2e.wait_for_mail(to=coauthor_info["email"], subject="invites you to co-author")
    assert TITLE in invite.subject
    link = re.search(r"https?://\S+#contributors", invite.text).group(0)
    assert link.startswith(e2e.url)
    coauthor = sign_in(new_page(), e2e, "coauthor")
    # Customer service is not in the campaign's audience: their home page does not ask.
    expect(coauthor.get_by_role("link", name=QUESTION)).to_have_count(0)
    coauthor.goto(link)
    contributors = coauthor.get_by_role("region", name="Contributors")
    expect(contributors).to_contain_text(
        f"{employee_info['name']} invites you to co-author this idea.")
    contributors.get_by_role("button", name="Accept").click()
    coauthor.get_by_text("You are now credited as a co-author.").wait_for()
    expect(coauthor.get_by_role("region", name="Contributors").get_by_role("listitem").filter(
        has_text=coauthor_info["name"])).to_contain_text("(co-author)")
    expect(coauthor.get_by_text(
        f"Submitted by {employee_info['name']} with {coauthor_info['name']}")).to_be_visible()

    # 4. A reviewer accepts it, names the campaign's sponsor its owner, and takes it
    # through to Implemented.
    reviewer = sign_in(new_page(), e2e, "reviewer")
    reviewer.goto(idea_url)
    for stage in ["Triage", "In review"]:
        move(reviewer, stage)
        reviewer.get_by_text(f"Moved to {stage}.").wait_for()
    # Accepting needs a yes to Amazon's two questions: refused first, then answered.
    move(reviewer, "Accepted")
    reviewer.get_by_text("Before accepting it, answer yes to Amazon's two questions").wait_for()
    panel = reviewer.get_by_role("region", name="Review")
    for question in ("Which customer is affected: is the customer named?",
                     "Why will it delight them: is the delight explained?"):
        panel.get_by_role("group", name=question).get_by_label("Yes").check()
    move(reviewer, "Accepted")
    reviewer.get_by_text("Moved to Accepted.").wait_for()
    panel = reviewer.get_by_role("region", name="Review")
    panel.get_by_label("Owner / sponsor").fill(sponsor_info["email"])
    move(reviewer, "In progress")
    reviewer.get_by_text("Moved to In progress.").wait_for()
    expect(reviewer.get_by_role("definition").filter(
        has=reviewer.get_by_role("link", name=sponsor_info["name"]))).to_be_visible()
    move(reviewer, "Implemented")
    reviewer.get_by_text("Moved to Implemented.").wait_for()
    history = reviewer.get_by_role("region", name="Decisions and history")
    expect(history.get_by_text("Rui Reviewer moved it from In progress to Implemented")
           ).to_be_visible()

    # 5. The owner records the measured impact.
    owner = sign_in(new_page(), e2e, "sponsor")
    owner.goto(idea_url)
    impact = owner.get_by_role("region", name="Measured impact")
    impact.get_by_label("Unit").select_option(value="score")
    impact.get_by_label("Baseline (before)").fill("3.4")
    impact.get_by_label(re.compile(r"^Target")).fill("4")
    impact.get_by_label("Measured (after)").fill("4.2")
    impact.get_by_label("Measured on").fill((today - timedelta(days=1)).isoformat())
    impact.get_by_label("How it was measured").fill(
        "Post-claim CSAT survey, 212 households, four weeks before and after.")
    impact.get_by_label("Evidence").fill("Survey export in the CX shared drive.")
    impact.get_by_role("button", name="Save the figures").click()
    owner.get_by_text("The measured impact was saved.").wait_for()
    expect(owner.get_by_role("region", name="Measured impact")).to_contain_text("3.4 → 4.2")

    # 6. The reviewer thanks the contributors; both get the e-mail.
    reviewer.reload()
    thanks = reviewer.get_by_role("region", name="Thanks")
    thanks.get_by_label("Your thank-you note").fill(THANKS)
    thanks.get_by_role("button", name="Thank the contributors").click()
    reviewer.get_by_text("Thank you for saying thank you; the contributors are told.").wait_for()
    expect(reviewer.get_by_role("region", name="Thanks")).to_contain_text(THANKS)
    for person in (employee_info, coauthor_info):
        [mail] = e2e.wait_for_mail(to=person["email"], subject="thanked you for")
        assert TITLE in mail.subject
        assert "Rui Reviewer" in mail.subject
        assert THANKS in mail.text

    # 7. The recognition board credits both; the co-author's profile shows the idea,
    # its figures and the note; the dashboard lists the campaign.
    coauthor.get_by_role("navigation", name="Main").get_by_role("link", name="Ideas").click()
    coauthor.get_by_role("link", name="Recognition", exact=True).click()
    people = coauthor.get_by_role("region", name="People")
    expect(people.get_by_role("rowheader", name=employee_info["name"])).to_be_visible()
    expect(people.get_by_role("rowheader", name=coauthor_info["name"])).to_be_visible()
    people.get_by_role("link", name=coauthor_info["name"]).click()
    coauthor.get_by_role("heading", name=coauthor_info["name"], level=1).wait_for()
    done = coauthor.get_by_role("region", name="Ideas implemented and what they changed")
    item = done.get_by_role("listitem").filter(has=coauthor.get_by_role("link", name=TITLE))
    expect(item).to_contain_text("3.4 → 4.2")
    received = coauthor.get_by_role("region", name="Thanks received")
    expect(received).to_contain_text(THANKS)
    expect(received).to_contain_text("Rui Reviewer")

    admin.goto("/")
    admin.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Dashboard").click()
    admin.get_by_role("heading", name="CX programme dashboard").wait_for()
    # The figures are cached: a programme admin asks for fresh ones.
    admin.get_by_role("link", name="Refresh figures").click()
    admin.get_by_role("heading", name="CX programme dashboard").wait_for()
    row = admin.get_by_role("row").filter(has=admin.get_by_role("rowheader", name=CAMPAIGN))
    expect(row.get_by_role("cell").nth(0)).to_have_text("1")  # ideas
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")  # implemented
    impact = admin.get_by_role("region", name="Measured customer impact")
    metric_row = impact.get_by_role("row").filter(
        has=admin.get_by_role("rowheader", name="Customer satisfaction (CSAT)"))
    expect(metric_row.first).to_contain_text("3.4 → 4.2")

    # 8. The next newsletter's recognition block credits both, with the figures.
    e2e.data("publish_recognition_issue", title="Customer life: thank you")
    [issue] = e2e.wait_for_mail(to=coauthor_info["email"], subject="Customer life: thank you")
    text = " ".join(issue.text.split())
    assert TITLE in text and "3.4 → 4.2" in text
    assert f"Thanks to {employee_info['name']}, {coauthor_info['name']}" in text
