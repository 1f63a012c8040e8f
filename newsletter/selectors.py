from collections import OrderedDict

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import PageViewRestriction

from ideas.models import Stage
from ideas.selectors import decided_public_ideas, with_credits
from people.models import User
from shared.paging import keyset_page
from shared.search import filter_by_text

from .models import Delivery, IssueRead, NewsletterArchivePage, NewsletterIssuePage


def subscribers():
    """Who a send freezes as recipients: active employees with an address who have not
    unsubscribed."""
    return (User.objects.filter(is_active=True, groups__name="Employee")
            .exclude(newsletter_optout__isnull=False).exclude(email="").distinct())


def you_said_we_did(*, issue, include_declined=False, limit=8, chosen=()):
    """The ideas a "you said, we did" block shows: the ones its writer chose, in their
    order, or else those decided since the previous published issue. Either way only
    public decided ideas (an idea made confidential or reopened after it was chosen drops
    out rather than reaching every inbox)."""
    qs = (decided_public_ideas(include_declined=include_declined)
          .select_related("stage", "department", "impact"))
    return _chosen_or_since_previous(qs, issue=issue, chosen=chosen, limit=limit)


def _chosen_or_since_previous(qs, *, issue, chosen, limit) -> list:
    chosen_ids = [getattr(idea, "pk", idea) for idea in chosen if idea is not None]
    if chosen_ids:
        by_id = {idea.pk: idea for idea in qs.filter(pk__in=chosen_ids)}
        return [by_id[pk] for pk in dict.fromkeys(chosen_ids) if pk in by_id]
    published = getattr(issue, "first_published_at", None) or timezone.now()
    previous = (NewsletterIssuePage.objects.live().filter(first_published_at__lt=published)
                .exclude(pk=getattr(issue, "pk", None)).order_by("-first_published_at")
                .values_list("first_published_at", flat=True).first())
    if previous:
        qs = qs.filter(decided_at__gte=previous)
    return list(qs.order_by("-decided_at")[:limit])


def recognised_ideas(*, issue, limit=5, chosen=()):
    """What a recognition block credits: implemented public ideas (the writer's choice,
    or those implemented since the previous issue), with their contributors, measured
    impact and number of thanks. A fixed number of queries."""
    qs = (decided_public_ideas().filter(stage__kind=Stage.Kind.IMPLEMENTED)
          .select_related("stage", "department", "impact", "submitter"))
    return with_credits(_chosen_or_since_previous(qs, issue=issue, chosen=chosen, limit=limit))


def issues_written_by(*, person, limit: int = 20) -> list:
    """Published issues the person wrote (the page's owner in Wagtail: who created it),
    newest first, for the champion's profile."""
    return list(NewsletterIssuePage.objects.live().filter(owner=person)
                .order_by("-first_published_at", "-pk")[:limit])


def latest_issue():
    """The most recently published live issue, for the home page."""
    return NewsletterIssuePage.objects.live().order_by("-first_published_at", "-pk").first()


ARCHIVE_PAGE = 24


def archive_issues(*, archive_page=None, query: str = "", request=None):
    """The archive's published issues, newest first (the archive page and the API list
    these). No archive page given: the site's one (none published: no issues). With
    `request`, issues behind a Wagtail view restriction it does not pass are left out,
    as Wagtail would refuse the pages themselves (a page password never reaches the API)."""
    if archive_page is None:
        archive_page = NewsletterArchivePage.objects.live().first()
        if archive_page is None:
            return NewsletterIssuePage.objects.none()
    issues = (NewsletterIssuePage.objects.child_of(archive_page).live()
              .order_by("-first_published_at", "-pk"))
    if query:
        issues = filter_by_text(issues, query)
    if request is not None:
        # Few restrictions exist; each one refused hides its page and everything below it.
        for restriction in PageViewRestriction.objects.select_related("page"):
            if not restriction.accept_request(request):
                issues = issues.exclude(path__startswith=restriction.page.path)
    return issues


def archive(*, archive_page, request, query: str = "") -> dict:
    """The archive's issues, newest first, a page at a time (keyset: shared.paging) and
    grouped by year, each with how many people read it (counted for the page's issues
    only: reads grow with every issue and reader)."""
    issues = archive_issues(archive_page=archive_page, query=query)
    page = keyset_page(request, issues, ARCHIVE_PAGE, count=False)
    # One read per person and issue (a unique constraint), so rows are readers.
    reads = dict(IssueRead.objects.filter(issue__in=[issue.pk for issue in page])
                 .values_list("issue").annotate(n=Count("pk")).order_by())
    by_year: OrderedDict = OrderedDict()
    for issue in page:
        issue.read_count = reads.get(issue.pk, 0)
        year = issue.first_published_at.year if issue.first_published_at else None
        by_year.setdefault(year, []).append(issue)
    return {"issues_by_year": by_year, "query": query, "issues_page": page}


def send_progress(send) -> dict:
    counts = send.deliveries.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Delivery.Status.values})
    done = counts["sent"] + counts["failed"] + counts["skipped"]
    counts["percent"] = round(100 * done / counts["total"]) if counts["total"] else 0
    return counts
