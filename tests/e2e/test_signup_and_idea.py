"""Journey 1: a new employee signs up with a company address, verifies it from the
e-mail, submits an idea in Thai and finds it again by a Thai word inside it."""

import re

import pytest

from .data import SEGMENT, TRIAGE_IDEA

pytestmark = pytest.mark.e2e

EMAIL = "priya.newstarter@example.com"
NEW_PASSWORD = "listen-to-customers-9"
TITLE = "ลดเวลารอสายของลูกค้าผู้สูงอายุ"
PROBLEM = "ลูกค้าผู้สูงอายุรอสายนานมากเมื่อโทรมาแจ้งเคลมประกัน"
WORD = "เคลม"  # "claim": a word inside the sentence, with no spaces around it


def sign_up(page, address):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()


def test_new_employee_signs_up_verifies_and_finds_a_thai_idea(e2e, new_page):
    page = new_page()

    # Outside addresses are refused.
    sign_up(page, "priya@gmail.example")
    page.get_by_text("Sign-up is only open to company e-mail addresses").wait_for()

    sign_up(page, EMAIL)
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()

    # The link comes from the message that really went over SMTP.
    [mail] = e2e.wait_for_mail(to=EMAIL, subject="Confirm Your Email Address", timeout=30)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.text).group(0)
    assert link.startswith(e2e.url)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name=f"Welcome, {EMAIL}").wait_for()
    assert page.get_by_text(f"You have confirmed {EMAIL}").is_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ideas").click()
    page.get_by_role("link", name="Submit an idea").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What customers experience today").fill(PROBLEM)
    page.get_by_label("Which customer is affected").select_option(label=SEGMENT)
    page.get_by_label("Why it will delight them").fill("ไม่ต้องรอนาน มีคนรับสายทันที")
    page.get_by_label("Customer metric it should move").select_option(value="fcr")
    page.get_by_role("button", name="Submit idea").click()
    page.get_by_text("Your idea was submitted").wait_for()
    assert page.get_by_role("heading", name=TITLE, level=1).is_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ideas").click()
    search = page.get_by_role("search", name="Search and filter ideas")
    search.get_by_label("Search").fill(WORD)
    search.get_by_role("button", name="Search").click()
    results = page.get_by_role("region", name="Results")
    results.get_by_role("link", name=TITLE).wait_for()
    assert re.search(r"(^|\D)1 idea\b", results.inner_text())
    assert not results.get_by_role("link", name=TRIAGE_IDEA).is_visible()

    results.get_by_role("link", name=TITLE).click()
    assert page.get_by_text(PROBLEM).is_visible()
