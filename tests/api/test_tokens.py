"""The token pages (/api/tokens/) and the admin's token list: make, see once, revoke."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from api.models import AccessToken
from api.services import token_create, token_revoke
from tests.factories import UserFactory

from .helpers import API, token_for

pytestmark = pytest.mark.django_db


def test_page_lists_only_own_tokens(employee_client, employee):
    token_for(employee)
    other, __ = token_for(UserFactory())
    other.name = "someone-elses"
    other.save()
    response = employee_client.get("/api/tokens/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "someone-elses" not in html and 'for="id_name"' in html


def test_create_shows_the_secret_once(employee_client, employee):
    response = employee_client.post("/api/tokens/", {"name": "Dashboard", "scope": "read",
                                                     "expires": "30"})
    assert response.status_code == 201
    token = AccessToken.objects.get(owner=employee)
    secret = response.context["secret"]
    assert secret in response.content.decode() and token.scope == "read"
    assert token.expires_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"{API}/ideas").status_code == 200
    assert secret not in employee_client.get("/api/tokens/").content.decode()


def test_create_with_bad_input_is_a_400(employee_client, employee):
    response = employee_client.post("/api/tokens/", {"name": "", "scope": "root"})
    assert response.status_code == 400
    assert not AccessToken.objects.filter(owner=employee).exists()


def test_revoke_own_token_but_not_anothers(employee_client, employee):
    mine, __ = token_for(employee)
    theirs, __ = token_for(UserFactory())
    response = employee_client.post(f"/api/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at and mine.revoked_by == employee
    assert employee_client.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404
    assert employee_client.get(f"/api/tokens/{mine.pk}/revoke/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_services_check_who_acts(employee, programme_admin):
    with pytest.raises(PermissionDenied):
        token_create(owner=employee, name="x", scope="write", actor=programme_admin)
    token, __ = token_for(employee)
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, actor=other)
    token_revoke(token=token, actor=programme_admin)
    token.refresh_from_db()
    assert token.revoked_by == programme_admin


def test_profile_links_to_the_tokens_page(employee_client):
    assert "/api/tokens/" in employee_client.get("/profile/").content.decode()


def test_admin_lists_and_revokes_anyones_tokens(admin_client_, employee):
    token, __ = token_for(employee)
    response = admin_client_.get("/admin/api-tokens/")
    assert response.status_code == 200
    assert token.prefix in response.content.decode()
    response = admin_client_.post(f"/admin/api-tokens/revoke/{token.pk}/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_admin_token_list_is_programme_admins_only(client, reviewer, employee):
    token, __ = token_for(employee)
    client.force_login(reviewer)
    assert client.get("/admin/api-tokens/").status_code in (302, 403)
    client.post(f"/admin/api-tokens/revoke/{token.pk}/")
    token.refresh_from_db()
    assert token.revoked_at is None
