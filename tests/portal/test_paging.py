"""shared.paging.page_or_404 and the pagination links (Django's {% querystring %})."""

import pytest
from django.http import Http404
from django.template import RequestContext, Template
from django.test import RequestFactory

from shared.paging import page_or_404


def test_page_or_404_reads_the_page_and_refuses_bad_numbers():
    rf = RequestFactory()
    assert page_or_404(rf.get("/"), range(30), 25).number == 1
    assert page_or_404(rf.get("/?page="), range(30), 25).number == 1
    assert list(page_or_404(rf.get("/?page=2"), range(30), 25)) == list(range(25, 30))
    for bad in ("3", "0", "-1", "x", "1e9"):
        with pytest.raises(Http404):
            page_or_404(rf.get(f"/?page={bad}"), range(30), 25)


def test_pagination_links_keep_the_filters_and_replace_the_page():
    request = RequestFactory().get("/ideas/?stage=3&page=2&q=hold+music")
    page = page_or_404(request, range(80), 25)
    html = Template('{% include "includes/pagination.html" %}').render(
        RequestContext(request, {"page": page}))
    assert 'href="?stage=3&amp;page=1&amp;q=hold+music" rel="prev"' in html
    assert 'href="?stage=3&amp;page=3&amp;q=hold+music" rel="next"' in html
