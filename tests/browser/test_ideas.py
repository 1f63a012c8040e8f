import pytest

from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.ideas.factories import CustomerSegmentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, base, person):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name=f"Welcome, {person.name}").wait_for()


def test_employee_submits_a_thai_idea_and_finds_it_by_a_word_inside(live_server, page):
    CustomerSegmentFactory(name="Retirees managing claims")
    person = UserFactory(display_name="Somchai")
    sign_in(page, live_server.url, person)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ideas").click()
    page.get_by_role("link", name="Submit an idea").click()
    page.get_by_label("Title").fill("ลดเวลารอสายของลูกค้าผู้สูงอายุ")
    page.get_by_label("What customers experience today").fill(
        "ลูกค้าผู้สูงอายุรอสายนานมากเมื่อโทรมาแจ้งเคลมประกัน")
    page.get_by_label("Which customer is affected").select_option(label="Retirees managing claims")
    page.get_by_label("Why it will delight them").fill("They are heard at once")
    page.get_by_label("Customer metric it should move").select_option(value="fcr")
    page.get_by_role("button", name="Submit idea").click()
    page.get_by_text("Your idea was submitted").wait_for()

    page.goto(live_server.url + "/ideas/")
    page.get_by_role("search", name="Search and filter ideas").get_by_label("Search").fill("เคลม")
    page.get_by_role("button", name="Search").click()
    result = page.get_by_role("link", name="ลดเวลารอสายของลูกค้าผู้สูงอายุ")
    result.wait_for()
    assert result.is_visible()
