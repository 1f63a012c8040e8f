"""One search across the intranet: every kind the reader may see, counted per kind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import Idea
from people.models import CustomerSegment
from tests.champions.factories import InsightFactory, as_user
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_one_search_finds_ideas_insights_customers_and_people(employee):
    IdeaFactory(title="Callback before the claim deadline")
    IdeaFactory(title="Secret claim merger", confidential=True)
    IdeaFactory(title="Draft claim idea", status=Idea.Status.DRAFT)
    InsightFactory(text="She waited a week for a claim callback.")
    CustomerSegment.objects.create(name="Retirees managing claims")
    UserFactory(display_name="Claire Claimsworth")
    page = as_user(employee).get("/search/?q=claim").content.decode()
    # Every hit marks the words found.
    assert "Callback before the <mark>claim</mark> deadline" in page
    assert "She waited a week for a <mark>claim</mark> callback." in page
    assert "Retirees managing <mark>claims</mark>" in page
    assert "Claire <mark>Claimsworth</mark>" in page
    assert "Secret" not in page and "merger" not in page and "Draft" not in page
    assert "Ideas (1)" in page


def test_one_kind_lists_more_of_it(employee):
    for n in range(5):
        IdeaFactory(title=f"Claim letter {n}")
    everything = as_user(employee).get("/search/?q=letter").content.decode()
    assert everything.count("Claim <mark>letter</mark>") == 3
    ideas = as_user(employee).get("/search/?q=letter&kind=ideas").content.decode()
    assert ideas.count("Claim <mark>letter</mark>") == 5


def test_bad_parameters_are_refused_and_nothing_is_searched(employee):
    assert as_user(employee).get("/search/?q=x&kind=secrets").status_code == 400
    assert as_user(employee).get("/search/?q=" + "x" * 201).status_code == 400
    page = as_user(employee).get("/search/?q=")
    assert page.status_code == 200 and "Nothing matches" not in page.content.decode()


def test_the_search_costs_the_same_for_few_or_many_matches(employee):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert as_user(employee).get("/search/?q=claim").status_code == 200
        return len(queries)

    for n in range(2):
        IdeaFactory(title=f"Claim {n}")
        InsightFactory(text=f"A claim story {n}")
    count()  # the first request fills the per-process caches (vocabulary, settings)
    few = count()
    for n in range(20):
        IdeaFactory(title=f"Claim more {n}")
        InsightFactory(text=f"Another claim story {n}")
    assert count() == few


def test_a_match_in_the_name_comes_first_and_text_is_quoted_around_the_word(employee):
    CustomerSegment.objects.create(name="Accountants",  # before "Claim..." by name
                                   summary="Owners " * 60 + "who file a <b>claim</b> rarely.")
    CustomerSegment.objects.create(name="Claim-heavy drivers", summary="Drivers.")
    page = as_user(employee).get("/search/?q=claim&kind=customers").content.decode()
    assert page.index("<mark>Claim</mark>-heavy drivers") < page.index("Accountants")
    assert "who file a &lt;b&gt;<mark>claim</mark>&lt;/b&gt; rarely." in page
    assert "…Owners Owners" in page  # the quote starts near the word, not at the start
