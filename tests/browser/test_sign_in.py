import pytest

from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_in_through_the_real_login_page_and_see_home(live_server, page):
    person = UserFactory(display_name="Browser Person")
    page.goto(live_server.url + "/")
    # Signed out: the intranet sends us to its one login page.
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome, Browser Person").wait_for()
    assert page.url == live_server.url + "/"
    assert page.get_by_role("navigation", name="Main").is_visible()
