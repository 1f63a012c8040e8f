"""The idea list's search: relevance order, word forms, typo corrections, Persian
half-spaces, highlighting; and the similar-ideas panel's weighting of rare words."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from ideas.filters import IdeaFilterSet
from ideas.search import corrections, index_words, word_weights
from ideas.selectors import idea_list, similar_ideas
from shared import paging
from shared.search import implied_piece
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def search(user, query):
    filterset = IdeaFilterSet({"q": query}, queryset=idea_list(user=user))
    assert filterset.is_valid()
    return list(filterset.qs)


def test_title_above_problem_above_the_rest_recency_breaks_ties(employee):
    now = timezone.now()
    rest = IdeaFactory(title="Shorter forms", problem="Too long", delight="Refund faster",
                       submitted_at=now)
    body = IdeaFactory(title="Money back", problem="The refund takes weeks",
                       submitted_at=now - timedelta(days=3))
    title = IdeaFactory(title="Refund in a day", problem="Slow",
                        submitted_at=now - timedelta(days=9))
    older = IdeaFactory(title="Refund by transfer", problem="Slow",
                        submitted_at=now - timedelta(days=20))
    assert search(employee, "refund") == [title, older, body, rest]


def test_whole_word_above_word_start_above_inside(employee):
    inside = IdeaFactory(title="Still waiting at the counter")
    start = IdeaFactory(title="Tilling the garden")
    whole = IdeaFactory(title="A till for every queue")
    assert search(employee, "till") == [whole, start, inside]


def test_without_a_query_the_list_stays_newest_first(employee):
    now = timezone.now()
    ideas = [IdeaFactory(submitted_at=now - timedelta(days=i)) for i in range(3)]
    filterset = IdeaFilterSet({}, queryset=idea_list(user=employee))
    assert filterset.is_valid()
    assert list(filterset.qs) == ideas


def test_an_explicit_sort_wins_over_relevance(employee):
    now = timezone.now()
    new = IdeaFactory(title="Other", problem="refund", submitted_at=now)
    old = IdeaFactory(title="Refund", submitted_at=now - timedelta(days=5))
    filterset = IdeaFilterSet({"q": "refund", "sort": "newest"},
                              queryset=idea_list(user=employee))
    assert filterset.is_valid()
    assert list(filterset.qs) == [new, old]


def test_word_forms_find_each_other(employee):
    staff = IdeaFactory(title="Staff development days", problem="Empathy training")
    money = IdeaFactory(title="Refund on the same day", problem="Customers wait")
    assert search(employee, "developing staff") == [staff]
    assert search(employee, "refunded") == [money]


def test_unspaced_scripts_still_match_inside_words(employee):
    idea = IdeaFactory(title="ติดตามสถานะเคลมออนไลน์", problem="ลูกค้าโทรถาม")
    assert search(employee, "สถานะเคลม") == [idea]


def test_thai_words_need_not_be_next_to_each_other(employee):
    idea = IdeaFactory(title="ติดตามสถานะเคลมออนไลน์", problem="ลูกค้าโทรถาม")
    IdeaFactory(title="ติดตามพัสดุ", problem="ลูกค้าโทรถาม")
    assert search(employee, "ติดตามเคลม") == [idea]


def test_a_whole_thai_word_ranks_above_the_same_letters_inside_a_word(employee):
    now = timezone.now()
    inside = IdeaFactory(title="ติดตามสถานะ", submitted_at=now)
    whole = IdeaFactory(title="ทำตามขั้นตอน", submitted_at=now - timedelta(days=9))
    assert search(employee, "ตาม") == [whole, inside]


def test_a_thai_typo_is_corrected_but_known_words_are_not(employee):
    idea = IdeaFactory(title="ติดตามสถานะเคลมออนไลน์", problem="ผู้สูงอายุโทรถาม")
    index_words([idea])
    assert search(employee, "สถานะเคม") == [idea]
    assert corrections(["สถานะเคม"]).by_term == {"สถานะเคม": ["สถานะเคลม"]}
    # Every ICU word of these is known: as typed, they are no typo.
    assert corrections(["ผู้สูงอายุ", "ติดตามเคลม"]).by_term == {}


def test_persian_half_space_in_the_query_finds_a_space_in_the_text(employee):
    idea = IdeaFactory(title="تمدید بیمه نامه", problem="یادآوری")
    assert search(employee, "بیمه\u200cنامه") == [idea]
    assert search(employee, "بیمه نامه") == [idea]


def test_a_typo_is_corrected_against_the_vocabulary(employee):
    refund = IdeaFactory(title="Refund within a day", problem="Customers wait for money")
    index_words([refund])
    assert search(employee, "refnd") == [refund]
    fixes = corrections(["refnd", "wait"])
    assert fixes.by_term == {"refnd": ["refund"]} and fixes.query == "refund wait"
    # A known word, or the start of one, is not corrected.
    assert corrections(["refund", "refun", "customers"]).by_term == {}


def test_confidential_ideas_leave_the_vocabulary_alone(employee):
    secret = IdeaFactory(title="Merger with Globex", confidential=True)
    index_words([secret])
    assert corrections(["globx"]).by_term == {}


def test_list_page_shows_the_correction(employee_client):
    idea = IdeaFactory(title="Refund <fast>", problem="Money back")
    index_words([idea])
    page = employee_client.get("/ideas/?q=refnd").content.decode()
    assert "Showing results for" in page and "<strong dir=\"auto\">refund</strong>" in page
    assert "<mark>Refund</mark> &lt;fast&gt;" in page  # the corrected word is marked
    assert "Showing results for" not in employee_client.get("/ideas/?q=money").content.decode()


def ranked_refunds(user):
    """Nine ideas matching "refund", ranked with ties (title or not, two per hour), and
    the search's queryset."""
    now = timezone.now()
    for i in range(9):
        IdeaFactory(title="Refund" if i % 3 else "Other", problem="refund later",
                    submitted_at=now - timedelta(hours=i // 2))
    filterset = IdeaFilterSet({"q": "refund"}, queryset=idea_list(user=user))
    assert filterset.is_valid()
    return filterset.qs


def test_relevance_pages_walk_every_result_once(employee):
    qs = ranked_refunds(employee)
    expected = [i.pk for i in qs]
    seen, after = [], None
    rf = RequestFactory()
    while True:
        page = paging.keyset_page(rf.get("/", {"after": after} if after else {}),
                                  qs, 2)
        seen += [i.pk for i in page]
        if page.is_last:
            break
        after = page.older
    assert seen == expected and len(seen) == 9


def test_relevance_pages_walk_back_from_the_last_page(employee):
    # Sorted by relevance, a page's ids come from a narrow subquery (paging.keyset_page).
    qs = ranked_refunds(employee)
    expected = [i.pk for i in qs]
    rf = RequestFactory()
    page = paging.keyset_page(rf.get("/", {"last": "1"}), qs, 2)
    seen = [i.pk for i in page]
    while not page.is_first:
        page = paging.keyset_page(rf.get("/", {"before": page.newer}), qs, 2)
        seen = [i.pk for i in page] + seen
    assert seen == expected and len(seen) == 9


def test_a_word_matches_inside_words_and_through_its_stem(employee):
    # The stem of "happy" is "happi": the match adds the start both share (search_words
    # LIKE '%happ%', for PostgreSQL's trigram index), which each of these holds.
    assert implied_piece("happy") == "happ"
    inside = IdeaFactory(title="Unhappy callers", problem="Long waits")
    stemmed = IdeaFactory(title="Happiness survey", problem="Ask after each call")
    IdeaFactory(title="Hapless printer", problem="Paper jams")
    assert search(employee, "happy") == [stemmed, inside]


def test_rare_words_weigh_more(employee):
    ideas = [IdeaFactory(title=f"Claim idea {i}", problem="Customers claim things")
             for i in range(6)]
    rare = IdeaFactory(title="Fingerprint login", problem="Customers forget passwords")
    index_words([*ideas, rare])
    weights = word_weights(["claim", "fingerprint", "unknown"])
    assert weights["claim"] < weights["fingerprint"] < weights["unknown"]


def test_similar_ideas_need_more_than_one_common_word(employee):
    ideas = [IdeaFactory(title=f"Claim {word}", problem=f"Customers {word} slowly")
             for word in ("photos", "fraud", "points", "weekend")]
    status = IdeaFactory(title="Claim status tracker", problem="Customers call to track "
                         "the claim status online")
    index_words([*ideas, status])
    found = similar_ideas(user=employee, text="Claim status online for customers who track")
    assert found == [status]


def test_results_mark_the_words_found_and_quote_the_problem_text(employee_client):
    problem = ("Customers wait on the phone for a long time. " * 6
               + "A callback <b>offer</b> would let them hang up and keep their place. "
               + "Nothing else changes for the agents." * 4)
    IdeaFactory(title="Offer callbacks", problem=problem)
    page = employee_client.get("/ideas/?q=callback").content.decode()
    assert "Offer <mark>callbacks</mark>" in page
    excerpt = page.split('class="idea-card__excerpt" dir="auto">')[1].split("</p>")[0]
    assert "A <mark>callback</mark> &lt;b&gt;offer&lt;/b&gt; would let them" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    # Without a search the card has no quote and no marks.
    plain = employee_client.get("/ideas/").content.decode()
    assert "idea-card__excerpt" not in plain and "<mark>" not in plain


def test_a_card_kept_for_one_search_is_not_shown_for_another(employee_client):
    IdeaFactory(title="Refund callbacks", problem="Refund by callback.")
    employee_client.get("/ideas/?q=refund")
    page = employee_client.get("/ideas/?q=callback").content.decode()
    assert "Refund <mark>callbacks</mark>" in page and "<mark>Refund</mark>" not in page


def test_thai_words_found_apart_are_each_marked(employee_client):
    IdeaFactory(title="ติดตามสถานะเคลมออนไลน์")
    page = employee_client.get("/ideas/?q=ติดตามเคลม").content.decode()
    assert "<mark>ติดตาม</mark>สถานะ<mark>เคลม</mark>ออนไลน์" in page
