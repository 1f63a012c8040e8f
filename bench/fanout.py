"""Newsletter fan-out steps, each run as its own process by bench/run.py.

    python -m bench.fanout recipients N   # exactly N subscribers (adds bench users if needed)
    python -m bench.fanout publish        # a new issue; times the publish call (JSON)
    python -m bench.fanout wait SEND_ID   # until the send is done (JSON: counts, times)
    python -m bench.fanout plain ISSUE_ID # the baseline: one connection, a plain loop
    python -m bench.fanout cleanup        # remove bench unsubscriptions

The send itself runs in a Celery worker (solo pool) started by the runner."""

import json
import os
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.mail import mailers  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from newsletter import selectors  # noqa: E402
from newsletter.emails import build_message  # noqa: E402
from newsletter.models import (  # noqa: E402
    Delivery,
    NewsletterArchivePage,
    NewsletterIssuePage,
    Send,
    Unsubscription,
)
from people import roles  # noqa: E402
from people.models import User  # noqa: E402

PREFIX = "fanout-"
BENCH_USERS = {"username__startswith": "bench-"}
THAI = "ลูกค้ารอสายนานเกินไปเมื่อโทรแจ้งเคลม"
PERSIAN = "مشتری گفت وقتی یک نفر پرونده‌اش را پیگیری کرد، احساس کرد کسی حرفش را می‌فهمد."


def _managed():
    """Users whose subscription the benchmark may switch off: generated ones only."""
    return User.objects.filter(username__regex=r"^(bench|fanout)-")


def recipients(n: int) -> dict:
    """Exactly n subscribers: add fanout- users until there are enough, then unsubscribe
    the newest generated users beyond n."""
    with transaction.atomic():
        Unsubscription.objects.filter(user__in=_managed()).delete()
        have = selectors.subscribers().count()
        if have < n:
            employee = Group.objects.get(name=roles.EMPLOYEE)
            start = User.objects.filter(username__startswith=PREFIX).count()
            people = [User(username=f"{PREFIX}{i:06d}", email=f"{PREFIX}{i:06d}@bench.example.com",
                           password="!bench", display_name=f"Reader {i}",
                           preferred_language=("en", "th", "fa")[i % 3])
                      for i in range(start, start + n - have)]
            User.objects.bulk_create(people, batch_size=1000)
            User.groups.through.objects.bulk_create(
                [User.groups.through(user_id=p.pk, group_id=employee.pk) for p in people],
                batch_size=1000)
            have = selectors.subscribers().count()
        extra = have - n
        if extra > 0:
            ids = list(_managed().filter(newsletter_optout__isnull=True)
                       .order_by("-pk").values_list("pk", flat=True)[:extra])
            Unsubscription.objects.bulk_create([Unsubscription(user_id=pk) for pk in ids],
                                               batch_size=1000)
    return {"subscribers": selectors.subscribers().count()}


def publish() -> dict:
    archive = NewsletterArchivePage.objects.get()
    admin = User.objects.get(email="admin@example.com")
    champion = User.objects.get(email="champion@example.com")
    n = NewsletterIssuePage.objects.count() + 1
    slug = f"bench-issue-{int(time.time())}-{n}"
    issue = archive.add_child(instance=NewsletterIssuePage(
        title=f"Customer life: benchmark issue {n}", slug=slug, owner=champion, live=False,
        intro="What customers told us this month. " + THAI,
        body=[{"type": "story", "value": {"heading": "Customers on hold",
                                          "text": f"<p>{THAI}</p><p>{PERSIAN}</p>"}},
              {"type": "you_said_we_did", "value": {"heading": "You said, we did", "limit": 8,
                                                    "include_declined": False}}]))
    revision = issue.save_revision(user=champion)
    started = time.time()
    t0 = time.perf_counter()
    revision.publish(user=admin)  # page_published -> send_start -> task queued on commit
    seconds = time.perf_counter() - t0
    send = Send.objects.get(issue=issue)
    return {"publish_seconds": seconds, "started": started, "send_id": send.pk,
            "issue_id": issue.pk}


def wait(send_id: int, timeout: float = 1800) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        send = Send.objects.get(pk=send_id)
        if send.status == Send.Status.DONE:
            break
        time.sleep(0.2)
    send = Send.objects.get(pk=send_id)
    counts = {s: Delivery.objects.filter(send=send, status=s).count() for s in Delivery.Status}
    return {"status": send.status, "counts": counts,
            "finished": send.finished_at.timestamp() if send.finished_at else None,
            "created": send.created_at.timestamp()}


def plain(issue_id: int) -> dict:
    """The baseline the fan-out is compared with: the same messages (rendered the same
    way, for the same subscribers, streamed) sent in a plain loop over one connection,
    without delivery rows, claims or tasks."""
    issue = NewsletterIssuePage.objects.get(pk=issue_id).specific
    connection = mailers.default
    sent = 0
    render_s = 0.0
    t0 = time.perf_counter()
    connection.open()
    try:
        for user in selectors.subscribers().iterator(chunk_size=2000):
            r0 = time.perf_counter()
            message = build_message(issue, user)
            render_s += time.perf_counter() - r0
            sent += connection.send_messages([message])
    finally:
        connection.close()
    seconds = time.perf_counter() - t0
    return {"sent": sent, "seconds": seconds, "render_seconds": render_s,
            "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "at": timezone.now().isoformat()}


def cleanup() -> dict:
    deleted, _ = Unsubscription.objects.filter(user__in=_managed()).delete()
    return {"unsubscriptions_removed": deleted}


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "recipients":
        result = recipients(int(args[0]))
    elif command == "publish":
        result = publish()
    elif command == "wait":
        result = wait(int(args[0]))
    elif command == "plain":
        result = plain(int(args[0]))
    elif command == "cleanup":
        result = cleanup()
    else:
        sys.exit(f"unknown command {command!r}")
    print(json.dumps(result))
