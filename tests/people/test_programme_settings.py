"""Programme settings (people.ProgrammeSettings): what programme admins change at run time
in the Wagtail admin (Settings › Programme settings), and who may."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from people import roles
from people.models import ProgrammeSettings
from people.settings import programme_settings
from shared.workdays import add_working_days, current_holidays, working_days_between

pytestmark = pytest.mark.django_db

ENTRY = "/admin/settings/people/programmesettings/"


def edit_url() -> str:
    return f"{ENTRY}{ProgrammeSettings.load().pk}/"


def form_data(**changes) -> dict:
    data = {"holidays": "", "review_response_target_days": "", "champion_term_months": "12",
            "newsletter_require_approval": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_without_a_saved_row_the_environment_decides(settings):
    settings.HOLIDAYS = {"2026-12-25"}
    settings.CHAMPION_TERM_MONTHS = 9
    settings.NEWSLETTER_REQUIRE_APPROVAL = False
    current = programme_settings()
    assert current.pk is None and not ProgrammeSettings.objects.exists()
    assert current.holiday_dates == {"2026-12-25"}
    assert current.champion_term_months == 9
    assert current.newsletter_require_approval is False
    assert current.review_response_target_days is None
    assert set(current_holidays()) == {"2026-12-25"}


def test_programme_admin_edits_a_holiday_and_working_days_follow(client, programme_admin,
                                                                 settings):
    settings.HOLIDAYS = set()
    settings.WEEKEND_DAYS = {5, 6}
    monday, friday = date(2026, 12, 21), date(2026, 12, 25)
    assert working_days_between(monday, friday) == 4
    assert add_working_days(monday, 4) == friday

    client.force_login(programme_admin)
    page = client.get(ENTRY, follow=True)
    assert page.status_code == 200 and b"public holidays" in page.content.lower()
    response = client.post(edit_url(), form_data(holidays="2026-12-25\n\n2027-01-01\n",
                                                 champion_term_months="6"))
    assert response.status_code == 302

    saved = ProgrammeSettings.objects.get()
    assert saved.holiday_dates == {"2026-12-25", "2027-01-01"}
    assert programme_settings().champion_term_months == 6
    assert working_days_between(monday, friday) == 3  # Christmas Day is off now
    assert add_working_days(monday, 4) == date(2026, 12, 28)


def test_bad_holiday_input_is_refused_with_a_message(client, programme_admin):
    client.force_login(programme_admin)
    url = edit_url()
    response = client.post(url, form_data(holidays="2026-12-25\n25/12/2026\n2026-02-30"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Write one date per line as YYYY-MM-DD" in body
    assert "line 2" in body and "25/12/2026" in body and "line 3" in body
    assert ProgrammeSettings.objects.get().holidays == ProgrammeSettings().holidays  # unchanged
    assert "2026-12-25" not in programme_settings().holiday_dates


def assert_denied(response):
    """Refused the Wagtail admin's way: people without admin access are sent to the login
    page; admin users to the admin home with "no permission" (an XHR gets a 403)."""
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(("/accounts/login/", "/admin/login/")) or (
        response["Location"] == "/admin/"), response["Location"]


@pytest.mark.parametrize("role", ["employee", "new_hire", "champion", "reviewer"])
def test_nobody_else_opens_or_changes_the_settings(client, role, request):
    url = edit_url()
    before = ProgrammeSettings.objects.get().holidays
    client.force_login(request.getfixturevalue(role))
    assert_denied(client.get(ENTRY))
    assert_denied(client.get(url))
    assert_denied(client.post(url, form_data(holidays="2030-01-01")))
    assert ProgrammeSettings.objects.get().holidays == before
    assert "2030-01-01" not in current_holidays()


@pytest.mark.parametrize("role", ["champion", "reviewer"])
def test_admin_users_without_the_permission_get_403(client, role, request):
    client.force_login(request.getfixturevalue(role))
    xhr = {"headers": {"x-requested-with": "XMLHttpRequest"}}
    assert client.get(ENTRY, **xhr).status_code == 403
    assert client.get(edit_url(), **xhr).status_code == 403
    page = client.get(ENTRY, follow=True)
    assert "You do not have permission" in page.content.decode() or (
        "permission to access this area" in page.content.decode())


def test_only_the_programme_admin_role_may_change_the_settings():
    for role in roles.ALL_ROLES:
        group = Group.objects.get(name=role)
        holds = group.permissions.filter(content_type__app_label="people",
                                         codename="change_programmesettings").exists()
        assert holds == (role == roles.PROGRAMME_ADMIN), role


def test_a_saved_change_is_seen_at_once(settings):
    settings.CHAMPION_TERM_MONTHS = 12
    assert programme_settings().champion_term_months == 12  # now cached
    row = ProgrammeSettings.load()
    row.champion_term_months = 18
    row.save()
    assert programme_settings().champion_term_months == 18
