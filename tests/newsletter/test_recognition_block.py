"""The newsletter credits implemented ideas: "you said, we did" shows their measured
impact (before → after) unless the writer hides it, and the recognition block names the
people each idea credits — in the web page and on the wire, in the reader's digits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import services
from ideas.models import ImpactMeasurement
from newsletter.emails import render_issue
from tests.factories import UserFactory

from .conftest import make_issue, publish
from .test_emails import parts
from .test_you_said_we_did import block, decided

pytestmark = pytest.mark.django_db


def measured(title, *, baseline="3.4", measured="4.2", **kwargs):
    idea = decided(title, metric="csat", **kwargs)
    ImpactMeasurement.objects.create(idea=idea, metric="csat", baseline=baseline,
                                     target="4.0", measured=measured,
                                     measured_on="2026-11-20", method="Survey")
    return idea


def recognition(ideas=(), **value):
    return {"type": "recognition",
            "value": {"heading": "Thank you", "text": "", "limit": 5,
                      "ideas": [idea.pk for idea in ideas], **value}}


def test_you_said_we_did_shows_the_measured_impact_unless_hidden(archive, employee):
    idea = measured("Plain-language letters")
    shown = make_issue(archive, slug="shown", body=[block([idea])])
    html, text = render_issue(shown, recipient=employee, unsubscribe_url="http://x/u")
    assert "3.4 → <strong>4.2</strong>" in html and "(target 4)" in html
    assert "3.4 → 4.2" in text
    hidden = make_issue(archive, slug="hidden", body=[block([idea], show_impact=False)])
    html, _ = render_issue(hidden, recipient=employee, unsubscribe_url="http://x/u")
    assert "Plain-language letters" in html and "→" not in html


def test_the_recognition_block_credits_submitter_and_co_authors_on_the_wire(
        archive, programme_admin, employee, mailoutbox, django_capture_on_commit_callbacks):
    author = UserFactory(display_name="Ana Author")
    idea = measured("Text before calling", submitter=author)
    colleague = UserFactory(display_name="Carl Colleague")
    services.idea_coauthor_answer(
        contribution=services.idea_coauthor_invite(idea=idea, person=colleague, actor=author),
        actor=colleague, accept=True)
    decided("Accepted, not implemented yet", stage="Accepted")
    issue = make_issue(archive, slug="thanks", body=[recognition()])
    publish(issue, programme_admin, run=True, capture=django_capture_on_commit_callbacks)
    message = next(m for m in mailoutbox if m.to == [employee.email])
    text, html = parts(message)
    assert "Thanks to Ana Author, Carl Colleague" in " ".join(text.split())
    assert '<span dir="auto">Ana Author</span>, <span dir="auto">Carl Colleague</span>' in html
    for part in (text, html):
        assert "Text before calling" in part
        assert "Accepted, not implemented yet" not in part
    assert "3.4 → 4.2" in text


def test_a_persian_reader_sees_persian_digits(archive, employee):
    employee.preferred_language = "fa"
    employee.save()
    issue = make_issue(archive, slug="fa", body=[recognition([measured("Letters")])])
    html, _ = render_issue(issue, recipient=employee, unsubscribe_url="http://x/u")
    assert "۳٫۴" in html and "۴٫۲" in html


def test_a_confidential_idea_is_never_credited_in_print(archive, employee):
    secret = measured("Secret pricing change", confidential=True)
    issue = make_issue(archive, slug="secret", body=[recognition([secret]), recognition()])
    html, _ = render_issue(issue, recipient=employee, unsubscribe_url="http://x/u")
    assert "Secret pricing change" not in html


def test_the_blocks_cost_the_same_whatever_the_number_of_ideas(archive, employee):
    def queries(n):
        for i in range(n):
            measured(f"Idea {n}-{i}")
        issue = make_issue(archive, slug=f"q{n}",
                           body=[block(limit=30), recognition(limit=10)])
        with CaptureQueriesContext(connection) as context:
            render_issue(issue, recipient=employee, unsubscribe_url="http://x/u")
        return len(context)

    queries(0)  # warms the per-process caches (stages, vocabularies)
    assert queries(1) == queries(6)
