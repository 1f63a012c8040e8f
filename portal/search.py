"""One search across the intranet: ideas, campaigns, customer insights, newsletter
issues, onboarding lessons, customers (personas) and people. Each kind is asked through
its own app's reads, so what a person may not see stays out (drafts, confidential ideas,
unpublished pages); the page shows how many of each kind match (the facets) and the
best few, or more of one kind.

Ideas come ranked by ideas' own search (title above problem text, whole words above
parts, word forms, typos). The other kinds put what matches in the title first, then
their own order; every hit quotes its text around the first word found."""

from dataclasses import dataclass, field
from functools import reduce
from operator import add, and_, or_
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shared.search import MAX_QUERY_LENGTH, excerpt, query_terms

# Counted up to this many per kind ("more than 100").
COUNT_CAP = 100


@dataclass
class Hit:
    title: str
    url: str
    text: str = ""
    meta: str = ""


@dataclass
class Section:
    kind: str
    label: str
    count: int = 0
    hits: list = field(default_factory=list)
    more_url: str = ""

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def _every_term(terms, *fields) -> Q:
    """Each term in at least one of the fields (case-insensitive)."""
    return reduce(and_, [reduce(or_, [Q(**{f"{f}__icontains": t}) for f in fields])
                         for t in terms], Q())


def _title_first(qs, terms, field, *order):
    """`qs` with what has more of the terms in its `field` (its title) first."""
    hits = reduce(add, [Case(When(Q(**{f"{field}__icontains": t}), then=Value(1)),
                             default=Value(0), output_field=IntegerField()) for t in terms])
    return qs.annotate(title_hits=hits).order_by("-title_hits", *order)


def _quote(text, terms, length=200) -> str:
    """The text around the first term found in it, else its start."""
    text = text or ""
    return excerpt(text, terms, length) or text[:length]


def _ideas(user, query, terms, limit):
    from ideas.selectors import idea_list

    qs = idea_list(user=user, query=query).order_by("-search_rank", "-submitted_at", "-pk")
    # The list's rows defer the long texts; the hits show the start of the problem.
    return qs, [Hit(i.title, i.get_absolute_url(), _quote(i.problem, terms),
                    i.stage.label if i.stage
                    else "") for i in qs.defer(None)[:limit]], (
        reverse("ideas:list") + "?" + urlencode({"q": query}))


def _campaigns(user, query, terms, limit):
    from ideas.models import CampaignPage

    qs = _title_first(CampaignPage.objects.live().filter(
        _every_term(terms, "title", "question")), terms, "title", "-closes_on", "pk")
    return qs, [Hit(c.title, c.url, _quote(c.question, terms)) for c in qs[:limit]], ""


def _insights(user, query, terms, limit):
    from champions.selectors import insight_feed

    qs = insight_feed(query=query)
    return qs, [Hit(i.text[:80], reverse("champions:insight", args=[i.pk]),
                    _quote(i.text, terms, 240),
                    i.author.name) for i in qs.prefetch_related(None)[:limit]], (
        reverse("champions:insights") + "?" + urlencode({"q": query}))


def _newsletter(user, query, terms, limit):
    from newsletter.models import NewsletterIssuePage

    qs = _title_first(NewsletterIssuePage.objects.live().filter(
        _every_term(terms, "title", "intro")), terms, "title", "-first_published_at", "pk")
    return qs, [Hit(p.title, p.url, _quote(p.intro, terms)) for p in qs[:limit]], ""


def _lessons(user, query, terms, limit):
    from wagtail.models import Page

    from training.models import LessonPage, ModulePage

    qs = (Page.objects.live().type(LessonPage, ModulePage)
          .filter(_every_term(terms, "title")).order_by("path"))
    return qs, [Hit(p.title, p.url) for p in qs[:limit]], ""


def _customers(user, query, terms, limit):
    from people.models import CustomerSegment

    qs = _title_first(CustomerSegment.objects.filter(
        _every_term(terms, "name", "summary", "needs", "pains")), terms, "name", "name", "pk")
    return qs, [Hit(c.name, reverse("champions:customer", args=[c.pk]),
                    _quote(c.summary, terms)) for c in qs[:limit]], ""


def _people(user, query, terms, limit):
    from people.models import User

    qs = (User.objects.filter(is_active=True)
          .filter(_every_term(terms, "display_name", "first_name", "last_name", "job_title"))
          .select_related("department").order_by("display_name", "pk"))
    return qs, [Hit(p.name, reverse("champions:profile", args=[p.pk]), p.job_title,
                    p.department.name if p.department else "") for p in qs[:limit]], ""


KINDS = [
    ("ideas", _("Ideas"), _ideas),
    ("campaigns", _("Campaigns"), _campaigns),
    ("insights", _("Customer insights"), _insights),
    ("customers", _("Customers"), _customers),
    ("newsletter", _("Newsletter issues"), _newsletter),
    ("lessons", _("Onboarding"), _lessons),
    ("people", _("People"), _people),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the intranet"), max_length=MAX_QUERY_LENGTH,
                        required=False)
    kind = forms.ChoiceField(label=_("Only"), required=False,
                             choices=[("", _("Everything"))] + [(k, label)
                                                               for k, label, _f in KINDS])


def search_everything(*, user, query: str, kind: str = "", few: int = 3,
                      many: int = 20) -> list[Section]:
    """One section per kind (or only `kind`), each with its capped count and its first
    hits. A fixed number of queries per kind, whatever the number of matches."""
    terms = query_terms(query)
    if not terms:
        return []
    sections = []
    for key, label, find in KINDS:
        if kind and key != kind:
            continue
        qs, hits, more = find(user, query, terms, many if kind else few)
        count = len(qs[:COUNT_CAP + 1].values_list("pk", flat=True))
        sections.append(Section(key, str(label), count, hits, more))
    return sections
