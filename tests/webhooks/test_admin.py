import pytest
from django.test import override_settings

from webhooks import services
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


def test_programme_admin_registers_an_endpoint_and_sees_the_secret_once(admin_client_):
    response = admin_client_.post("/admin/webhooks/new/", {
        "url": "https://hooks.example.com/in", "description": "Team chat",
        "events": ["idea.submitted", "newsletter.published"], "preset": "slack",
        "language": "th", "active": "on"}, follow=True)
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["idea.submitted", "newsletter.published"]
    assert endpoint.preset == "slack" and endpoint.language == "th"
    assert endpoint.secret in response.content.decode()
    assert endpoint.created_by.display_name == "Ada Admin"


@override_settings(WEBHOOK_ALLOW_PRIVATE_HOSTS=False)
def test_private_address_is_refused_with_a_message(admin_client_):
    response = admin_client_.post("/admin/webhooks/new/", {
        "url": "https://127.0.0.1/in", "events": ["idea.submitted"], "preset": "generic",
        "language": "en", "active": "on"})
    assert response.status_code == 200 and not Endpoint.objects.exists()
    assert "private network" in response.content.decode()


def test_delivery_log_and_redeliver(admin_client_, programme_admin,
                                    django_capture_on_commit_callbacks):
    endpoint, _ = services.endpoint_create(actor=programme_admin,
                                           url="http://127.0.0.1:9/down",
                                           events=["newsletter.published"])
    with django_capture_on_commit_callbacks(execute=True):
        services.event_record(type="newsletter.published", data={"title": "N1"})
    delivery = Delivery.objects.get()
    page = admin_client_.get(f"/admin/webhooks/deliveries/{endpoint.pk}/")
    assert page.status_code == 200
    assert "ConnectionError" in page.content.decode()
    assert admin_client_.get(f"/admin/webhooks/redeliver/{delivery.pk}/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(f"/admin/webhooks/redeliver/{delivery.pk}/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.attempts == 2


@pytest.mark.parametrize("who", ["employee", "reviewer", "champion"])
def test_others_cannot_reach_the_webhook_admin(client, who, request, programme_admin):
    endpoint, _ = services.endpoint_create(actor=programme_admin,
                                           url="https://hooks.example.com/in",
                                           events=["idea.submitted"])
    client.force_login(request.getfixturevalue(who))
    for url in ["/admin/webhooks/", "/admin/webhooks/new/",
                f"/admin/webhooks/edit/{endpoint.pk}/",
                f"/admin/webhooks/deliveries/{endpoint.pk}/"]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert endpoint.secret not in response.content.decode()
    response = client.post(f"/admin/webhooks/edit/{endpoint.pk}/", {
        "url": "https://evil.example.com/", "events": ["idea.submitted"],
        "preset": "generic", "language": "en", "active": "on"})
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.example.com/in"
