"""Factories for champions tests. Terms made here skip the services (no role sync, no
audit entry): use them for data sets (roster, coverage, query counts); go through
champions.services when the behaviour under test is the write itself."""

from datetime import timedelta

import factory
from django.test import Client
from django.utils import timezone

from champions.models import Insight, Nomination, Sentiment, Term
from shared.search import build_search_text
from tests.factories import DepartmentFactory, UserFactory


def today():
    return timezone.localdate()


def days(n: int):
    """The date n days from today (negative: in the past)."""
    return today() + timedelta(days=n)


class TermFactory(factory.django.DjangoModelFactory):
    """An active term: started 30 days ago, ends in 335 days."""

    class Meta:
        model = Term

    person = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    starts_on = factory.LazyFunction(lambda: days(-30))
    ends_on = factory.LazyFunction(lambda: days(335))


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    nominee = factory.SubFactory(UserFactory)
    nominator = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    reason = "Calls customers back every week."


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    department = factory.SelfAttribute("author.department")
    text = factory.Sequence(lambda n: f"Customer {n} wants one number to call.")
    sentiment = Sentiment.NEUTRAL
    search_text = factory.LazyAttribute(lambda o: build_search_text(o.text))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


def as_user(user) -> Client:
    """A client of its own (the `client` fixture is shared between client fixtures)."""
    client = Client()
    client.force_login(user)
    return client


def published_issue(*, owner, title=None):
    """A live newsletter issue written by `owner`, placed without running a send."""
    from newsletter.models import NewsletterArchivePage, NewsletterIssuePage

    archive = NewsletterArchivePage.objects.get()
    count = NewsletterIssuePage.objects.count()
    title = title or f"Customer life no. {count + 1}"
    return archive.add_child(instance=NewsletterIssuePage(
        title=title, slug=f"issue-{count + 1}", owner=owner, live=True,
        first_published_at=timezone.now()))
