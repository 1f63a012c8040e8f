from collections import OrderedDict

from django.db.models import Count, Q
from django.utils import timezone

from ideas.models import Idea, Stage
from portal.search import filter_by_text

from .models import Delivery, NewsletterIssuePage


def you_said_we_did(*, issue, include_declined=False, limit=8):
    """Ideas decided since the previous published issue (public ones only)."""
    kinds = {Stage.Kind.ACCEPTED, Stage.Kind.IN_PROGRESS, Stage.Kind.IMPLEMENTED}
    if include_declined:
        kinds.add(Stage.Kind.DECLINED)
    qs = Idea.objects.filter(status=Idea.Status.SUBMITTED, confidential=False,
                             stage__kind__in=kinds, decided_at__isnull=False)
    published = getattr(issue, "first_published_at", None) or timezone.now()
    previous = (NewsletterIssuePage.objects.live().filter(first_published_at__lt=published)
                .exclude(pk=getattr(issue, "pk", None)).order_by("-first_published_at")
                .values_list("first_published_at", flat=True).first())
    if previous:
        qs = qs.filter(decided_at__gte=previous)
    return list(qs.select_related("stage", "department").order_by("-decided_at")[:limit])


def latest_issue():
    """The most recently published live issue, for the home page."""
    return NewsletterIssuePage.objects.live().order_by("-first_published_at", "-pk").first()


def archive(*, archive_page, query: str = "") -> dict:
    issues = (NewsletterIssuePage.objects.child_of(archive_page).live()
              .annotate(read_count=Count("reads", distinct=True))
              .order_by("-first_published_at"))
    if query:
        issues = filter_by_text(issues, query)
    by_year: OrderedDict = OrderedDict()
    for issue in issues:
        year = issue.first_published_at.year if issue.first_published_at else None
        by_year.setdefault(year, []).append(issue)
    return {"issues_by_year": by_year, "query": query}


def send_progress(send) -> dict:
    counts = send.deliveries.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Delivery.Status.values})
    done = counts["sent"] + counts["failed"] + counts["skipped"]
    counts["percent"] = round(100 * done / counts["total"]) if counts["total"] else 0
    return counts
