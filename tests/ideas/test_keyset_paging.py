"""Keyset paging (shared.paging.keyset_page) of the idea list and the review queue: every
sort walks forwards and backwards over every idea exactly once, ties and NULLs included,
and counts beyond the cap say so instead of counting the archive."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from ideas.filters import SORTS
from ideas.models import Idea
from shared import paging
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas():
    """13 ideas with ties in every sort key and NULLs where a key may be NULL."""
    now = timezone.now()
    made = []
    for i in range(13):
        at = now - timedelta(days=i // 3)  # three ideas share each day
        made.append(IdeaFactory(
            stage_entered_at=at, submitted_at=at, support_count=i % 4,
            decided_at=None if i % 3 else at, priority_score=None if i % 2 else float(i % 5)))
    return made


def walk(qs, per_page, start, direction):
    """Every row, by following the cursors from `start` ({} or {"last": "1"})."""
    rf, seen, params = RequestFactory(), [], start
    for _ in range(50):
        page = paging.keyset_page(rf.get("/", params), qs, per_page)
        seen = seen + [i.pk for i in page] if direction == "after" else \
            [i.pk for i in page] + seen
        cursor = page.older if direction == "after" else page.newer
        if cursor is None:
            return seen
        params = {direction: cursor}
    raise AssertionError("did not reach the end")


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("per_page", [1, 4, 13, 20])
def test_every_sort_walks_every_idea_once_both_ways(ideas, sort, per_page):
    qs = Idea.objects.filter(status=Idea.Status.SUBMITTED).order_by(*SORTS[sort])
    expected = list(qs.values_list("pk", flat=True))
    assert walk(qs, per_page, {}, "after") == expected
    assert walk(qs, per_page, {"last": "1"}, "before") == expected


def test_first_and_last_pages_know_they_are(ideas):
    qs = Idea.objects.order_by("-submitted_at", "-pk")
    rf = RequestFactory()
    first = paging.keyset_page(rf.get("/"), qs, 5)
    assert first.is_first and not first.is_last and first.newer is None
    last = paging.keyset_page(rf.get("/", {"last": "1"}), qs, 5)
    assert last.is_last and not last.is_first and last.older is None
    assert len(last) == 5  # the last five, whatever the pages before them held
    single = paging.keyset_page(rf.get("/"), qs, 20)
    assert not single.has_other_pages


def test_counts_are_capped(ideas, monkeypatch):
    qs = Idea.objects.order_by("-submitted_at", "-pk")
    assert paging.capped_count(qs, cap=13) == (13, False)
    assert paging.capped_count(qs, cap=12) == (12, True)


def test_the_list_says_more_than_the_cap_and_links_older_and_newer(ideas, employee_client,
                                                                    monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    monkeypatch.setattr("ideas.views.PAGE_SIZE", 5)
    html = employee_client.get("/ideas/?sort=supported").content.decode()
    assert "More than 10 ideas" in html
    older = re.search(r'href="\?([^"]*after=[^"]*)" rel="next"', html).group(1)
    assert "sort=supported" in older
    second = employee_client.get("/ideas/?" + older.replace("&amp;", "&")).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' in second
    monkeypatch.setattr(paging, "COUNT_CAP", 1000)
    assert "13 ideas" in employee_client.get("/ideas/").content.decode()


def test_a_cursor_from_another_sort_or_tampered_is_a_404(ideas, employee_client):
    qs = Idea.objects.order_by("-submitted_at", "-pk")
    page = paging.keyset_page(RequestFactory().get("/"), qs, 5)
    # A newest-first cursor has two keys; "most supported" has three.
    assert employee_client.get(f"/ideas/?sort=supported&after={page.older}").status_code == 404
    assert employee_client.get(f"/ideas/?after={page.older}").status_code == 200
    assert employee_client.get(f"/ideas/?after={page.older[:-3]}").status_code == 404


def test_several_capped_counts_in_one_query(ideas, django_assert_num_queries):
    qs = Idea.objects.all()
    with django_assert_num_queries(1):
        counts = paging.capped_counts(cap=5, all=qs, none=qs.filter(pk=-1),
                                      supported=qs.filter(support_count__gte=3))
    assert counts == {"all": (5, True), "none": (0, False), "supported": (3, False)}


def test_a_search_count_is_kept_per_person_and_filters(ideas, employee, employee_client,
                                                       monkeypatch):
    """A text search's count is kept a minute; another person, or other filters, count
    for themselves."""
    from django.test import Client

    from tests.factories import UserFactory

    monkeypatch.setattr("ideas.views.PAGE_SIZE", 5)
    url = "/ideas/?q=Idea+number"
    assert "13 ideas" in employee_client.get(url).content.decode()
    IdeaFactory(title="Idea number 14", confidential=True, submitter=employee)
    assert "13 ideas" in employee_client.get(url).content.decode()  # kept
    assert "14 ideas" in employee_client.get(url + "&sort=supported").content.decode()
    other = Client()
    other.force_login(UserFactory())
    assert "13 ideas" in other.get(url + "&sort=supported").content.decode()
