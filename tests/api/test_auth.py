"""Who the API lets in: personal access tokens (revoked, expired, read-only, an inactive
owner's), the session with CSRF on writes; rate limits; problem details."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.models import AccessToken
from api.services import hash_secret, token_revoke
from tests.ideas.factories import IdeaFactory

from .helpers import API, is_problem, token_client, token_for

pytestmark = pytest.mark.django_db


def test_anonymous_gets_a_401_problem_not_a_login_redirect():
    body = is_problem(Client().get(f"{API}/ideas"), 401)
    assert "token" in body["detail"]


def test_openapi_document_and_docs_are_served_without_a_cdn():
    schema = Client().get(f"{API}/openapi.json").json()
    assert "/api/v1/ideas" in schema["paths"]
    assert "Problem" in schema["components"]["schemas"]
    responses = schema["paths"]["/api/v1/ideas"]["get"]["responses"]
    assert {"400", "401", "403", "404", "422", "429"} <= set(responses)
    assert "application/problem+json" in responses["401"]["content"]
    docs = Client().get(f"{API}/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()


def test_token_authenticates_and_only_its_hash_is_stored(employee):
    token, secret = token_for(employee)
    assert secret.startswith("cci_") and secret not in str(
        AccessToken.objects.filter(pk=token.pk).values().get())
    assert token.token_hash == hash_secret(secret) and secret.startswith(token.prefix)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"{API}/ideas")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(employee, django_assert_num_queries):
    token, secret = token_for(employee)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.get(f"{API}/ideas")
    first = AccessToken.objects.get(pk=token.pk).last_used_at
    client.get(f"{API}/ideas")
    assert AccessToken.objects.get(pk=token.pk).last_used_at == first
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(f"{API}/ideas")
    assert AccessToken.objects.get(pk=token.pk).last_used_at > first - timedelta(minutes=1)


@pytest.mark.parametrize("header", ["Bearer cci_nonsense", "Bearer ", "Basic abc",
                                    "Bearer " + "x" * 5000, "Bearer cci_\x00"])
def test_bad_tokens_are_401(header):
    is_problem(Client(HTTP_AUTHORIZATION=header).get(f"{API}/ideas"), 401)


def test_revoked_token_is_refused(employee):
    token, secret = token_for(employee)
    token_revoke(token=token, actor=employee)
    is_problem(Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"{API}/ideas"), 401)


def test_expired_token_is_refused(employee):
    token, secret = token_for(employee)
    AccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    is_problem(Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"{API}/ideas"), 401)


def test_inactive_owner_token_is_refused(employee):
    __, secret = token_for(employee)
    employee.is_active = False
    employee.save()
    is_problem(Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"{API}/ideas"), 401)


def test_read_scope_token_cannot_write(employee):
    idea = IdeaFactory()
    client = token_client(employee, scope="read")
    assert client.get(f"{API}/ideas/{idea.pk}").status_code == 200
    body = is_problem(client.post(f"{API}/ideas/{idea.pk}/follow"), 403)
    assert "read" in body["detail"]
    assert not idea.follows.filter(user=employee).exists()


def test_session_works_and_csrf_is_enforced_on_writes(employee):
    idea = IdeaFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    assert client.get(f"{API}/ideas/{idea.pk}").status_code == 200
    is_problem(client.post(f"{API}/ideas/{idea.pk}/follow"), 403)
    client.get("/api/tokens/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(f"{API}/ideas/{idea.pk}/follow", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200, response.content
    assert response.json() == {"following": True}


def test_rate_limit_answers_429_with_retry_after(employee, settings):
    settings.API_RATE_LIMIT = "3/m"
    __, secret = token_for(employee)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for __ in range(3):
        assert client.get(f"{API}/ideas").status_code == 200
    response = client.get(f"{API}/ideas")
    is_problem(response, 429)
    assert int(response["Retry-After"]) >= 1
    # Per token: another token of another person is not held back.
    other = token_client(IdeaFactory().submitter)
    assert other.get(f"{API}/ideas").status_code == 200


def test_rate_limit_per_person_for_the_session(employee, settings):
    settings.API_RATE_LIMIT = "2/m"
    client = Client()
    client.force_login(employee)
    assert client.get(f"{API}/ideas").status_code == 200
    assert client.get(f"{API}/ideas").status_code == 200
    is_problem(client.get(f"{API}/ideas"), 429)


def test_method_not_allowed_is_a_405_problem(employee):
    response = token_client(employee).patch(f"{API}/ideas")
    is_problem(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_validation_errors_name_the_field(employee):
    body = is_problem(token_client(employee).get(f"{API}/ideas?limit=0"), 422)
    assert body["errors"][0]["field"] == "query.limit"
    body = is_problem(token_client(employee).post(
        f"{API}/ideas", "{not json", content_type="application/json"), 400)


def test_api_root_leads_to_the_docs():
    response = Client().get(f"{API}/")
    assert response.status_code == 302 and response.url == f"{API}/docs"
