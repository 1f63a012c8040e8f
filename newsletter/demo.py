"""Demo content for the newsletter: three issues written by the demo champion.

- "Customer life: October" is published and already sent: it goes through the real
  publishing signal and send services (recipients frozen, one delivery per person,
  e-mails written by the configured mailer; in development, files under var/mail).
- "Customer life: November" is published, but the programme admin paused its send
  after the first batch, so the admin's send page has progress to show and a send to
  resume.
- "Customer life: December" is a draft.

Bodies use every block: stories (with Thai and Persian text), insights picked from the
champions' log, "you said, we did", a persona spotlight and a link list.

Registered in shared.demo.LATE_SEEDERS (see NewsletterConfig.ready), after the ideas and
champions seeders, so the demo people, ideas and insights exist. Idempotent: issues are
keyed on their slug and an existing one is left alone, so a second run changes nothing
(and sends nothing)."""

from datetime import timedelta

from django.utils import timezone

from champions.models import Insight
from people.models import CustomerSegment, User

from . import services
from .emails import base_url
from .models import IssueRead, NewsletterIssuePage, Send
from .setup import ensure_newsletter_setup

CHAMPION = "champion@example.com"
ADMIN = "admin@example.com"
READERS = ["employee@example.com", "reviewer@example.com", "champion@example.com"]

SENT, PAUSED, DRAFT = "customer-life-october", "customer-life-november", "customer-life-december"
PAUSED_AFTER = 2  # deliveries sent before the demo admin paused the November send

PERSONA = {
    "name": "Military families on the move",
    "summary": "Service members and their families, who relocate every two to three years, "
               "often at short notice and sometimes while one of them is deployed.",
}

ISSUES = [
    {
        "slug": SENT,
        "title": "Customer life: October",
        "intro": "What our customers told us this month, and what we changed because of it.",
        "state": "sent",
        "days_ago": 35,
        "stories": [
            ("A morning on the claims line",
             "<p>Our engineers spent an hour listening to real calls. The most common "
             "question was not about money but about <b>time</b>: <i>when will someone "
             "come?</i></p>"),
            ("ลูกค้ารอสายนานเกินไป",
             "<p>ลูกค้าสูงอายุโทรมาสามครั้งในสัปดาห์เดียว เพราะรอสายนานเกินไปแล้ววางสายไปก่อน "
             "ทีมบริการลูกค้าจึงทดลองโทรกลับแทนการให้รอสาย</p>"),
        ],
        "persona_text": "They move every few years: one checklist for home and policies "
                        "saves them three phone calls.",
    },
    {
        "slug": PAUSED,
        "title": "Customer life: November",
        "intro": "Small businesses, moving families and the letters we send.",
        "state": "paused",
        "days_ago": 2,
        "stories": [
            ("صدای مشتری",
             "<p>یک خانواده نظامی گفت هر بار که منتقل می‌شوند باید سه بار با ما تماس بگیرند "
             "تا همه بیمه‌نامه‌ها را جابه‌جا کنند. تیم ما اکنون یک فهرست واحد برای جابه‌جایی "
             "آماده می‌کند.</p>"),
            ("Invoices the accountant accepts",
             "<p>Small-business owners want invoices they can download straight away. "
             "ธุรกิจเล็กไม่อยากรอจดหมาย</p>"),
        ],
        "persona_text": "",
    },
    {
        "slug": DRAFT,
        "title": "Customer life: December",
        "intro": "Draft: the year in customer conversations.",
        "state": "draft",
        "days_ago": 0,
        "stories": [
            ("The year in customer conversations",
             "<p>Twelve months, hundreds of insights from every department. "
             "ขอบคุณทุกคนที่ฟังลูกค้า</p>"),
        ],
        "persona_text": "",
    },
]


def seed_newsletter() -> int:
    """Create the demo issues that do not exist yet; returns how many were created."""
    archive = ensure_newsletter_setup()
    people = {u.email: u for u in User.objects.filter(email__in=[CHAMPION, ADMIN, *READERS])}
    champion, admin = people.get(CHAMPION), people.get(ADMIN)
    if archive is None or champion is None or admin is None:
        return 0
    existing = set(NewsletterIssuePage.objects.child_of(archive).values_list("slug", flat=True))
    created = 0
    for spec in ISSUES:
        if spec["slug"] in existing:
            continue
        issue = archive.add_child(instance=NewsletterIssuePage(
            title=spec["title"], slug=spec["slug"], intro=spec["intro"], body=_body(spec),
            owner=champion, live=False))
        revision = issue.save_revision(user=champion)
        if spec["state"] != "draft":
            # The real path: publishing starts the send (page_published -> send_start).
            revision.publish(user=admin)
            _run_send(issue, admin, paused=spec["state"] == "paused")
            _backdate(issue, spec["days_ago"])
        if spec["state"] == "sent":
            for email in READERS:
                if email in people:
                    IssueRead.objects.get_or_create(issue=issue, user=people[email])
        created += 1
    return created


def _body(spec: dict) -> list[dict]:
    body = [{"type": "story", "value": {"heading": heading, "text": html}}
            for heading, html in spec["stories"]]
    insights = list(Insight.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)[:3])
    if insights:
        body.append({"type": "insights", "value": {"heading": "What customers told us",
                                                   "insights": insights}})
    body.append({"type": "you_said_we_did", "value": {"heading": "You said, we did",
                                                      "include_declined": False, "limit": 8}})
    body.append({"type": "recognition", "value": {
        "heading": "Thank you", "limit": 5,
        "text": "The people behind this month's changes, and what they changed."}})
    persona, _ = CustomerSegment.objects.get_or_create(
        name=PERSONA["name"], defaults={"summary": PERSONA["summary"]})
    body.append({"type": "persona_spotlight",
                 "value": {"persona": persona.pk, "text": spec["persona_text"]}})
    body.append({"type": "links", "value": {"heading": "Read more", "links": [
        {"title": "Ideas and their decisions", "url": f"{base_url()}/ideas/"},
        {"title": "Customer champions", "url": f"{base_url()}/champions/"},
        {"title": "Onboarding: who our customers are", "url": f"{base_url()}/onboarding/"},
    ]}})
    return body


def _run_send(issue, admin, *, paused: bool) -> None:
    """Run the send now through the services (rather than waiting for the tasks queued on
    commit, which then find nothing left to do), so deliveries exist when seeding ends."""
    send = Send.objects.get(issue=issue)
    services.send_prepare(send_id=send.pk)
    if paused:
        services.send_batch(send_id=send.pk, size=PAUSED_AFTER)
        services.send_pause(send=send, actor=admin)
        return
    for _ in range(1000):
        result = services.send_batch(send_id=send.pk)
        if not result["more"] or result.get("temporary"):
            break


def _backdate(issue, days_ago: int) -> None:
    when = timezone.now() - timedelta(days=days_ago)
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(
        first_published_at=when, last_published_at=when)
    send = Send.objects.get(issue=issue)
    Send.objects.filter(pk=send.pk).update(
        created_at=when, recipients_frozen_at=when,
        finished_at=when + timedelta(minutes=3) if send.finished_at else None)
    send.deliveries.filter(sent_at__isnull=False).update(sent_at=when + timedelta(minutes=1))
