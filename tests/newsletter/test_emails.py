"""One newsletter e-mail: both parts, a personal greeting, absolute links and images,
scripts without spaces and right-to-left text intact, unsubscribe headers, and no
header injection through the subject."""

import email
import email.policy
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.test import RequestFactory
from django.utils import timezone
from wagtail.images import get_image_model

from ideas.models import Stage
from newsletter import services, tasks
from newsletter.emails import build_message, render_issue, safe_subject
from newsletter.models import Delivery, NewsletterIssuePage, Send
from tests.champions.factories import InsightFactory
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, tiny_png

from .conftest import KHMER, LAO, PERSIAN, THAI, make_issue, prepared_send, publish, story

pytestmark = pytest.mark.django_db


def full_body(archive, *, image=None, insight=None, segment=None) -> list:
    body = [
        story("เรื่องเล่าจากลูกค้า",
              f"<p>{THAI}</p><p>{LAO}</p><p>{KHMER}</p>"
              f'<p><a linktype="page" id="{archive.pk}">The archive</a> and '
              '<a href="/ideas/">all ideas</a>.</p>'),
        story("صدای مشتری", f"<p>{PERSIAN}</p>"),
        {"type": "you_said_we_did", "value": {"heading": "You said, we did",
                                              "include_declined": False, "limit": 8}},
        {"type": "links", "value": {"heading": "Read more", "links": [
            {"title": "Champions", "url": "http://testserver/champions/"}]}},
    ]
    if image is not None:
        body[0]["value"]["image"] = {"image": image.pk, "alt_text": "A customer",
                                     "decorative": False}
    if insight is not None:
        body.append({"type": "insights", "value": {"heading": "What customers told us",
                                                   "insights": [insight.pk]}})
    if segment is not None:
        body.append({"type": "persona_spotlight",
                     "value": {"persona": segment.pk, "text": "Who they are."}})
    return body


@pytest.fixture
def image(db):
    return get_image_model().objects.create(
        title="Customer", file=ImageFile(BytesIO(tiny_png()), name="customer.png"))


@pytest.fixture
def implemented_idea(db):
    # Put straight into its final stage (the transitions are the ideas app's business).
    return IdeaFactory(title="Call customers back instead of keeping them on hold",
                       stage=Stage.objects.get(name="Implemented"), decided_at=timezone.now())


def parts(message) -> tuple[str, str]:
    """The text and HTML parts as they go over the wire (encoded, then decoded)."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_email_has_both_parts_greeting_headers_and_absolute_links(
        archive, programme_admin, employee, image, implemented_idea, mailoutbox,
        django_capture_on_commit_callbacks):
    insight = InsightFactory(text=f"{THAI} — {PERSIAN}")
    issue = make_issue(archive, "ชีวิตลูกค้า: พฤศจิกายน", slug="november",
                       intro="What we learned", body=full_body(
                           archive, image=image, insight=insight,
                           segment=implemented_idea.customer_segment))
    publish(issue, programme_admin, run=True, capture=django_capture_on_commit_callbacks)
    message = next(m for m in mailoutbox if m.to == [employee.email])
    assert message.subject == "ชีวิตลูกค้า: พฤศจิกายน"
    text, html = parts(message)
    assert [a.mimetype for a in message.alternatives] == ["text/html"]
    # Personal greeting in both parts.
    assert "Hello Erin Employee," in html
    assert "Hello Erin Employee," in text
    # Every block made it into the e-mail.
    assert implemented_idea.title in html and implemented_idea.title in text
    assert "Champions" in html and insight.text in html
    assert implemented_idea.customer_segment.name in html
    # Absolute links and images only.
    assert 'href="/' not in html and "src=\"/" not in html
    assert "href='/" not in html
    assert 'href="http://testserver/newsletter/"' in html
    assert 'href="http://testserver/ideas/"' in html
    assert f'href="http://testserver/ideas/{implemented_idea.pk}/' in html
    assert 'src="http://testserver/' in html
    assert "http://testserver/newsletter/november/" in text
    # One-click unsubscribe (RFC 8058), the same link in both parts.
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http://testserver/subscriptions/unsubscribe/") and link.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.strip("<>") in html and link.strip("<>") in text
    wire = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert wire["List-Unsubscribe"] == link
    assert wire["Subject"] == "ชีวิตลูกค้า: พฤศจิกายน"


def test_thai_khmer_lao_and_persian_survive_both_parts(archive, employee):
    issue = make_issue(archive, f"{THAI} {PERSIAN[:20]}", slug="scripts",
                       intro=f"{LAO} {KHMER}", body=full_body(archive))
    text, html = parts(build_message(issue, employee))
    for sample in (THAI, LAO, KHMER, PERSIAN):
        assert sample in html
        assert sample in text
    # The zero-width non-joiner inside Persian words is kept (U+200C).
    assert "\u200c" in text and "\u200c" in html


def test_persian_reader_gets_a_right_to_left_email(archive, employee):
    reader = UserFactory(preferred_language="fa", display_name="نگار احمدی")
    issue = make_issue(archive, "Customer life", body=full_body(archive))
    fa_html, fa_text = render_issue(issue, recipient=reader, unsubscribe_url="http://x/u/")
    en_html, _ = render_issue(issue, recipient=employee, unsubscribe_url="http://x/u/")
    assert '<html lang="fa" dir="rtl">' in fa_html
    assert '<html lang="en" dir="ltr">' in en_html
    assert "نگار احمدی" in fa_html and "نگار احمدی" in fa_text


def test_text_part_has_no_html_entities(archive, employee):
    issue = make_issue(archive, "Customers' needs & wants", slug="entities",
                       intro='Say "thank you" & <mean it>',
                       body=[story("Tom's story", "<p>Fish &amp; chips &lt;3</p>")])
    text, html = parts(build_message(issue, employee))
    assert "Customers' needs & wants" in text
    assert 'Say "thank you" & <mean it>' in text
    assert "Fish & chips <3" in text
    assert "&amp;" not in text and "&#x27;" not in text and "&quot;" not in text
    assert "&lt;mean it&gt;" in html  # the HTML part stays escaped


@pytest.mark.parametrize("title", ["Hello\r\nBcc: everyone@example.com", "Line\nbreak",
                                   "Carriage\rreturn"])
def test_safe_subject_refuses_line_breaks(title):
    with pytest.raises(ValueError, match="line breaks"):
        safe_subject(title)


def test_safe_subject_keeps_other_text():
    assert safe_subject(f"{THAI}: {PERSIAN}") == f"{THAI}: {PERSIAN}"[:200]
    assert len(safe_subject("x" * 500)) == 200


def test_title_with_header_injection_sends_nothing(
        archive, programme_admin, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory.create_batch(2)
    # The page form refuses such a title (test_gaps.py); the send-time guard
    # still catches one that reached the database another way.
    issue = make_issue(archive, "November", slug="injected")
    send = publish(issue, programme_admin)
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(
        title="November\r\nBcc: everyone@example.com")
    issue.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.prepare_send(send.pk)
    assert mailoutbox == []
    assert set(send.deliveries.values_list("status", flat=True)) == {"failed"}
    assert all("line breaks" in d.error for d in send.deliveries.all())
    # A test send of such an issue is refused too.
    with pytest.raises(ValueError):
        services.issue_send_test(issue=issue, actor=programme_admin)
    assert mailoutbox == []


def test_preview_shows_web_page_and_email(archive, champion):
    issue = make_issue(archive, "Preview me", body=[story("Story", f"<p>{THAI}</p>")])
    request = RequestFactory().get("/admin/")
    request.user = champion
    assert [mode for mode, _ in issue.preview_modes] == ["", "email"]
    email_preview = issue.serve_preview(request, "email")
    assert email_preview.status_code == 200
    assert "Hello Chai Champion," in email_preview.text and THAI in email_preview.text
    web = issue.serve_preview(request, "")
    web.render()
    assert THAI in web.text and "Hello Chai Champion," not in web.text


def test_delivery_rows_record_each_email(archive, programme_admin, mailoutbox):
    UserFactory.create_batch(2)
    send = prepared_send(make_issue(archive), programme_admin)
    services.send_batch(send_id=send.pk)
    sent = Delivery.objects.filter(send=send)
    assert {d.status for d in sent} == {"sent"}
    assert all(d.sent_at and d.attempts == 1 for d in sent)
    assert sorted(d.email for d in sent) == sorted(m.to[0] for m in mailoutbox)
    assert Send.objects.get(pk=send.pk).finished_at is not None
