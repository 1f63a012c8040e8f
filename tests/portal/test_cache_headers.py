"""Private pages are not cacheable (issue 12, item 9): every response to a signed-in
person, and the anonymous pages that carry secrets in their links, answer
`Cache-Control: private, no-store`; static files stay cacheable."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.cache import patch_cache_control

from newsletter.emails import unsubscribe_url
from portal.middleware import PrivateCacheControlMiddleware
from tests.ideas.factories import IdeaFactory, add_attachment, tiny_pdf

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {d.strip().lower() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def assert_private(response, url):
    assert {"private", "no-store"} <= directives(response), (url, response.get("Cache-Control"))
    assert "public" not in directives(response), url


def test_signed_in_pages_exports_and_attachments_are_private(client, employee, reviewer):
    mine = IdeaFactory(submitter=employee, confidential=True)
    image = add_attachment(mine)
    pdf = add_attachment(mine, name="plan.pdf", content=tiny_pdf(),
                         content_type="application/pdf")
    client.force_login(employee)
    for url in ["/", "/ideas/", "/ideas/mine/", f"/ideas/{mine.pk}/",
                "/ideas/export.csv", f"/ideas/attachments/{image.pk}/",
                f"/ideas/attachments/{pdf.pk}/", "/profile/", "/notifications/",
                "/champions/", "/onboarding/", "/subscriptions/", "/newsletter/",
                "/ideas/999999/", "/accounts/email/"]:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        assert_private(response, url)
    # A reviewer reads the confidential idea: private too.
    client.force_login(reviewer)
    response = client.get(f"/ideas/{mine.pk}/")
    assert response.status_code == 200
    assert_private(response, "confidential idea as reviewer")


def test_admin_and_programme_pages_are_private(client, programme_admin):
    client.force_login(programme_admin)
    for url in ["/admin/", "/admin/users/", "/dashboard/", "/ideas/queue/",
                "/onboarding/report/", "/onboarding/report/?format=csv"]:
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert_private(response, url)
    # The Wagtail admin's own never_cache directives are kept (stricter still).
    assert "must-revalidate" in directives(client.get("/admin/"))


def test_anonymous_pages_with_secrets_in_the_link_are_private(client, employee):
    for url in ["/accounts/login/", unsubscribe_url(employee).removeprefix("http://testserver"),
                "/ideas/", "/healthz"]:
        response = client.get(url)
        assert_private(response, url)


def test_static_files_stay_cacheable(client, employee):
    client.force_login(employee)
    response = client.get("/static/css/intranet.css")
    assert response.status_code == 200
    assert "public" in directives(response)
    assert "no-store" not in directives(response)


def test_a_views_own_header_is_kept_for_anonymous_and_made_private_when_signed_in(employee):
    def cacheable(request):
        response = HttpResponse("hello")
        patch_cache_control(response, public=True, max_age=600)
        return response

    def strict(request):
        response = HttpResponse("hello")
        response["Cache-Control"] = "no-store"
        return response

    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/x")
    request.user = AnonymousUser()
    assert directives(PrivateCacheControlMiddleware(cacheable)(request)) == {
        "public", "max-age=600"}
    request.user = employee
    assert directives(PrivateCacheControlMiddleware(cacheable)(request)) == {
        "private", "no-store", "max-age=600"}
    assert directives(PrivateCacheControlMiddleware(strict)(request)) == {"no-store"}
