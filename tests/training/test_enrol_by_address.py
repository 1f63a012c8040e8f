"""HR enrols people by typing or choosing their addresses, not from a list of everyone."""

import pytest

from tests.champions.factories import as_user
from tests.training.test_enrolment import onboarding_path
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def test_enrolment_takes_addresses_one_per_line(basics, programme_admin, new_hire,
                                                  employee):
    path = onboarding_path("Who our customers are", [(basics, 2)])
    response = as_user(programme_admin).post("/onboarding/enrol/", {
        "users": f"{new_hire.email}\n{employee.email.upper()}, {new_hire.email}",
        "path": path.pk}, follow=True)
    assert response.status_code == 200
    assert set(Enrolment.objects.values_list("user", flat=True)) == {new_hire.pk,
                                                                      employee.pk}


def test_enrolment_with_one_unknown_address_enrols_nobody(basics, programme_admin,
                                                           new_hire):
    path = onboarding_path("Who our customers are", [(basics, 2)])
    response = as_user(programme_admin).post("/onboarding/enrol/", {
        "users": f"{new_hire.email}\nghost@example.com", "path": path.pk})
    assert "ghost@example.com" in response.content.decode()
    assert not Enrolment.objects.exists()
