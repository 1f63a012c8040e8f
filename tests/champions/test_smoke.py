import pytest
from django.core.exceptions import ValidationError

from champions import services
from champions.models import Nomination
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_nominate_approve_roster_coverage(client, employee, programme_admin):
    claims = DepartmentFactory(name="Claims")
    DepartmentFactory(name="Sales")
    colleague = UserFactory(display_name="Chai Colleague")
    client.force_login(employee)
    response = client.post("/champions/nominate/", {"nominee": colleague.pk,
                                                    "department": claims.pk,
                                                    "reason": "Talks to customers daily"})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    client.force_login(programme_admin)
    assert client.get("/champions/nominations/").status_code == 200
    client.post(f"/champions/nominations/{nomination.pk}/decide/", {"decision": "approve"})
    colleague.refresh_from_db()
    assert colleague.groups.filter(name="Champion").exists()
    page = client.get("/champions/").content.decode()
    assert "Chai Colleague" in page
    coverage = client.get("/champions/coverage/").content.decode()
    from people.models import Department

    total = Department.objects.count()
    assert f"{round(100 / total)}%" in coverage and f"(1 of {total})" in coverage
    for url in [f"/champions/people/{colleague.pk}/", "/champions/insights/",
                f"/champions/meeting/{claims.pk}/", "/"]:
        assert client.get(url).status_code == 200, url
    with pytest.raises(ValidationError, match="already approved"):
        services.nomination_approve(nomination=nomination, actor=programme_admin)
