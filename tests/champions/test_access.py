"""Every champions URL needs a login."""

import pytest
from django.urls import resolve, reverse

from champions.urls import urlpatterns

pytestmark = pytest.mark.django_db

URLS = ["/champions/", "/champions/coverage/", "/champions/people/1/", "/champions/nominate/",
        "/champions/nominations/", "/champions/nominations/1/decide/", "/champions/terms/1/",
        "/champions/terms/1/handover/", "/champions/insights/", "/champions/meeting/1/",
        "/champions/ideas/1/sponsor/", "/champions/insights/1/idea/",
        "/champions/insights/queue/", "/champions/insights/1/", "/champions/insights/1/reassign/",
        "/champions/pulse/", "/champions/pulse/1/", "/champions/pulse/1/results/",
        "/champions/pulse/answers/1/insight/", "/champions/customers/",
        "/champions/customers/1/", "/champions/pulse/1/links/"]


def test_the_list_covers_every_champions_url():
    assert {resolve(url).url_name for url in URLS} == {p.name for p in urlpatterns}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302, url
    assert response.url.startswith(reverse("account_login") + "?next=" + url), response.url
