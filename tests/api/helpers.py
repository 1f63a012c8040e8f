from django.test import Client

from api.services import token_create

API = "/api/v1"


def token_for(user, scope="write", **kwargs):
    return token_create(owner=user, name="test", scope=scope, actor=user, **kwargs)


def token_client(user, scope="write") -> Client:
    __, secret = token_for(user, scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def is_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["type"] == "about:blank"
    return body
