"""Bad input of every kind: each is refused with a clear message (400/404, never
500) and nothing is changed; HTML is always shown as text."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ideas.models import Attachment, Comment, Idea, InternalNote, Support
from people.models import Department
from tests.factories import UserFactory
from tests.ideas.factories import (
    CustomerSegmentFactory,
    IdeaFactory,
    idea_form_data,
    move,
    tiny_pdf,
    tiny_png,
)

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def segment(db):
    return CustomerSegmentFactory(name="Military families")


# --- the idea form -----------------------------------------------------------------------

@pytest.mark.parametrize("field", ["title", "problem", "customer_segment", "delight", "metric"])
def test_missing_required_field_is_refused(field, segment, employee_client):
    response = employee_client.post("/ideas/new/", idea_form_data(segment, **{field: ""}))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert response.context["form"].errors[field]
    assert not Idea.objects.exists()


def test_missing_fields_are_refused_for_drafts_too(segment, employee_client):
    response = employee_client.post("/ideas/new/", {"title": "Only a title", "draft": "1"})
    assert response.status_code == 400
    assert not Idea.objects.exists()


@pytest.mark.parametrize("field,limit", [("title", 200), ("problem", 5000), ("delight", 3000),
                                         ("customer_detail", 300), ("why_1", 500),
                                         ("tags", 500)])
def test_oversize_field_is_refused(field, limit, segment, employee_client):
    response = employee_client.post("/ideas/new/",
                                    idea_form_data(segment, **{field: "x" * (limit + 1)}))
    assert response.status_code == 400
    assert f"at most {limit} characters" in response.content.decode()
    assert not Idea.objects.exists()
    # Exactly at the limit is fine.
    response = employee_client.post("/ideas/new/", idea_form_data(segment, **{field: "x" * limit}))
    assert response.status_code == 302
    assert Idea.objects.count() == 1


def test_bad_choice_values_are_refused(segment, employee_client):
    for overrides in [{"metric": "zzz"}, {"customer_segment": "999999"},
                      {"department": "abc"}, {"journey_stage": "-1"}]:
        response = employee_client.post("/ideas/new/", idea_form_data(segment, **overrides))
        assert response.status_code == 400, overrides
        assert "Select a valid choice" in response.content.decode()
    assert not Idea.objects.exists()


def test_a_submitted_idea_cannot_be_edited(employee, employee_client, segment):
    idea = IdeaFactory(submitter=employee, title="As submitted")
    response = employee_client.post(f"/ideas/{idea.pk}/edit/",
                                    idea_form_data(segment, title="Changed"))
    assert response.status_code == 403
    assert Idea.objects.get(pk=idea.pk).title == "As submitted"


def test_draft_edit_and_submit(employee, employee_client, segment):
    response = employee_client.post("/ideas/new/", idea_form_data(segment, submit=None,
                                                                  draft="1"))
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.status == Idea.Status.DRAFT
    response = employee_client.post(f"/ideas/{idea.pk}/edit/",
                                    idea_form_data(segment, title="Better title"))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Better title" and idea.status == Idea.Status.SUBMITTED
    assert idea.stage.name == "Submitted"


# --- HTML and script ---------------------------------------------------------------------

def payload(name: str) -> str:
    return f'<script>alert("{name}")</script><b onmouseover="{name}">{name}</b>'


def escaped(name: str) -> str:
    return (f"&lt;script&gt;alert(&quot;{name}&quot;)&lt;/script&gt;"
            f"&lt;b onmouseover=&quot;{name}&quot;&gt;{name}&lt;/b&gt;")


def assert_no_raw_html(page: str) -> None:
    assert "<script>alert(" not in page
    assert "<b onmouseover=" not in page


def test_html_and_script_in_every_text_field_are_shown_as_text(
        employee, employee_client, reviewer, segment):
    fields = ["title", "problem", "customer_detail", "delight", "why_1", "why_2"]
    data = idea_form_data(segment, tags=payload("tag"), **{f: payload(f) for f in fields})
    assert employee_client.post("/ideas/new/", data).status_code == 302
    idea = Idea.objects.get()
    queue = as_user(reviewer).get("/ideas/queue/").content.decode()
    assert_no_raw_html(queue)
    assert escaped("title") in queue
    move(idea, "Declined", actor=reviewer, reason=payload("reason"))
    InternalNote.objects.create(idea=idea, author=reviewer, body=payload("note"))
    commenter = as_user(UserFactory())
    commenter.post(f"/ideas/{idea.pk}/comments/", {"body": payload("comment")})
    hidden = Comment.objects.create(idea=idea, author=employee, body=payload("hiddenbody"))
    as_user(reviewer).post(f"/ideas/comments/{hidden.pk}/hide/",
                           {"reason": payload("hidereason")[:300]})

    detail = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    assert_no_raw_html(detail)
    for name in [*fields, "reason", "comment", "hiddenbody", "hidereason"]:
        assert escaped(name) in detail, name
    assert "&lt;script&gt;alert(&quot;tag&quot;)" in detail

    reviewer_detail = as_user(reviewer).get(f"/ideas/{idea.pk}/").content.decode()
    assert_no_raw_html(reviewer_detail)
    assert escaped("note") in reviewer_detail

    for url in ["/ideas/", "/ideas/?q=script", "/ideas/mine/", "/ideas/similar/?title=alert"]:
        page = employee_client.get(url).content.decode()
        assert_no_raw_html(page)
        # A search marks the words it found, inside the escaped text.
        title = escaped("title").replace("script", "<mark>script</mark>") \
            if "q=script" in url else escaped("title")
        assert title in page, url
    assert escaped("reason") in employee_client.get("/ideas/mine/").content.decode()


def test_attachment_names_are_shown_as_text(employee, employee_client, segment):
    upload = SimpleUploadedFile('<img src=x onerror="alert(1)">.png', tiny_png(),
                                content_type="image/png")
    response = employee_client.post("/ideas/new/",
                                    idea_form_data(segment, attachments=[upload]))
    assert response.status_code == 302
    page = employee_client.get(response["Location"]).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.png" in page


# --- filters and pages -------------------------------------------------------------------

BAD_FILTERS = ["stage=abc", "stage=999999", "submitted_after=notadate",
               "submitted_before=2026-13-45", "metric=zzz", "department=abc", "segment=abc",
               "journey_stage=abc", "sponsor=abc", "sort=zzz", "q=" + "x" * 201]


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_bad_filter_values_answer_400(query, employee_client, reviewer):
    IdeaFactory()
    response = employee_client.get(f"/ideas/?{query}")
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()
    assert employee_client.get(f"/ideas/export.csv?{query}").status_code == 400
    assert as_user(reviewer).get(f"/ideas/queue/?{query}").status_code == 400


@pytest.mark.parametrize("query", ["assignee=abc", "assignee=%C2%B2", "assignee=" + "9" * 30,
                                   "overdue=maybe"])
def test_odd_queue_filters_never_fail(query, reviewer):
    IdeaFactory()
    assert as_user(reviewer).get(f"/ideas/queue/?{query}").status_code in {200, 400}


@pytest.mark.parametrize("query", ["title=x", "exclude=abc", "exclude=%C2%B2",
                                   "exclude=" + "9" * 30, "title=" + "long " * 500])
def test_odd_similar_requests_never_fail(query, employee_client):
    IdeaFactory()
    assert employee_client.get(f"/ideas/similar/?{query}").status_code == 200


@pytest.mark.parametrize("cursor", ["abc", "!!", "W10", "WyJ4Il0", "WzEsMiwzXQ", "9" * 30,
                                    # ["not a date", 1] and [null, "x"]
                                    "WyJub3QgYSBkYXRlIiwxXQ", "W251bGwsIngiXQ"])
def test_bad_page_cursors_answer_404(cursor, employee, employee_client, reviewer):
    IdeaFactory(submitter=employee)
    for url in ["/ideas/?", "/ideas/?q=idea&", "/ideas/?sort=supported&", "/ideas/mine/?"]:
        for param in ("after", "before"):
            assert employee_client.get(f"{url}{param}={cursor}").status_code == 404, url
    assert as_user(reviewer).get(f"/ideas/queue/?after={cursor}").status_code == 404


def test_unknown_ideas_comments_and_attachments_answer_404(employee_client):
    for url in ["/ideas/999999/", "/ideas/" + "9" * 25 + "/", "/ideas/comments/999999/edit/",
                "/ideas/attachments/999999/"]:
        assert employee_client.get(url).status_code == 404, url
    assert employee_client.post("/ideas/999999/support/").status_code == 404


def test_bad_decision_input_changes_nothing(reviewer):
    idea = IdeaFactory()
    client = as_user(reviewer)
    for data in [{}, {"to_stage": "abc"}, {"to_stage": 999999},
                 {"to_stage": idea.stage_id, "expected_stage": "x"},
                 {"to_stage": idea.stage_id, "expected_stage": idea.stage_id,
                  "reason": "x" * 5001},
                 {"to_stage": idea.stage_id, "expected_stage": idea.stage_id,
                  "duplicate_of": "-3"}]:
        response = client.post(f"/ideas/{idea.pk}/decide/", data, follow=True)
        assert response.status_code == 200, data
        assert messages_of(response), data
    idea.refresh_from_db()
    assert idea.stage.name == "Submitted" and not idea.transitions.exists()


def test_bad_scores_change_nothing(reviewer):
    idea = IdeaFactory()
    for data in [{"impact": 6, "reach": 1, "confidence": 1, "effort": 1},
                 {"impact": 0, "reach": 1, "confidence": 1, "effort": 1},
                 {"impact": "a", "reach": 1, "confidence": 1, "effort": 1}, {}]:
        response = as_user(reviewer).post(f"/ideas/{idea.pk}/score/", data, follow=True)
        assert "whole numbers from 1 to 5" in messages_of(response)
    assert not idea.scores.exists()


# --- attachments -------------------------------------------------------------------------

def upload(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("name,content,content_type,message", [
    ("big.png", tiny_png() + b"\x00" * (5 * 1024 * 1024), "image/png", "too large"),
    ("notes.png", b"Just some text, not an image at all.\n" * 10, "image/png",
     "is not an image or PDF"),
    ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "application/pdf",
     "is not an image or PDF"),
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
     "image/svg+xml", "is not an image or PDF"),
])
def test_bad_attachments_are_refused(name, content, content_type, message, segment,
                                     employee_client):
    response = employee_client.post("/ideas/new/", idea_form_data(
        segment, attachments=[upload(name, content, content_type)]))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Idea.objects.exists() and not Attachment.objects.exists()


def test_one_bad_attachment_among_good_ones_saves_nothing(segment, employee_client):
    files = [upload("a.png", tiny_png(), "image/png"),
             upload("b.pdf", b"plain text", "application/pdf")]
    response = employee_client.post("/ideas/new/", idea_form_data(segment, attachments=files))
    assert response.status_code == 400
    assert not Idea.objects.exists() and not Attachment.objects.exists()


def test_real_png_and_pdf_are_accepted_and_served(employee, employee_client, segment):
    files = [upload("photo.png", tiny_png(), "image/png"),
             upload("letter.pdf", tiny_pdf(), "application/pdf")]
    response = employee_client.post("/ideas/new/", idea_form_data(segment, attachments=files))
    assert response.status_code == 302, response.content.decode()[:2000]
    idea = Idea.objects.get()
    attachments = {a.original_name: a for a in idea.attachments.all()}
    assert set(attachments) == {"photo.png", "letter.pdf"}
    assert attachments["photo.png"].content_type == "image/png"
    assert attachments["letter.pdf"].content_type == "application/pdf"
    assert attachments["letter.pdf"].size == len(tiny_pdf())

    png = employee_client.get(f"/ideas/attachments/{attachments['photo.png'].pk}/")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert b"".join(png.streaming_content) == tiny_png()
    assert png["X-Content-Type-Options"] == "nosniff"
    pdf = employee_client.get(f"/ideas/attachments/{attachments['letter.pdf'].pk}/")
    assert b"".join(pdf.streaming_content) == tiny_pdf()
    assert pdf["Content-Disposition"].startswith("attachment")


def test_too_many_attachments_are_refused(segment, employee_client):
    files = [upload(f"p{i}.png", tiny_png(), "image/png") for i in range(6)]
    response = employee_client.post("/ideas/new/", idea_form_data(segment, attachments=files))
    assert response.status_code == 400
    assert "At most 5 attachments" in response.content.decode()
    assert not Idea.objects.exists() and not Attachment.objects.exists()


# --- CSV export --------------------------------------------------------------------------

def test_csv_export_neutralises_formulas(employee_client, champion, reviewer):
    department = Department.objects.create(name="=cmd|' /C calc'!A0")
    IdeaFactory(title="=HYPERLINK(\"http://evil\")", department=department)
    IdeaFactory(title="+1+1")
    IdeaFactory(title="-2+3")
    idea = IdeaFactory(title="@SUM(A1:A2)")
    idea.tags.add("=tag")
    IdeaFactory(title="Plain, with comma")
    move(IdeaFactory(title="Accepted one"), "Triage", "Accepted", actor=reviewer)
    response = employee_client.get("/ideas/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    titles = {row[header.index("title")] for row in body}
    assert titles == {"'=HYPERLINK(\"http://evil\")", "'+1+1", "'-2+3", "'@SUM(A1:A2)",
                      "Plain, with comma", "Accepted one"}
    departments = {row[header.index("department")] for row in body}
    assert "'=cmd|' /C calc'!A0" in departments
    assert "'=tag" in {row[header.index("tags")] for row in body}
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


# --- support -----------------------------------------------------------------------------

def test_support_once_per_person_and_withdrawable(employee, employee_client):
    idea = IdeaFactory()
    for _ in range(3):
        assert employee_client.post(f"/ideas/{idea.pk}/support/").status_code == 302
    idea.refresh_from_db()
    assert idea.support_count == 1 and Support.objects.filter(idea=idea).count() == 1
    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Withdraw my support" in page
    employee_client.post(f"/ideas/{idea.pk}/support/", {"action": "remove"})
    employee_client.post(f"/ideas/{idea.pk}/support/", {"action": "remove"})
    idea.refresh_from_db()
    assert idea.support_count == 0 and not Support.objects.exists()
    assert "Support this idea" in employee_client.get(f"/ideas/{idea.pk}/").content.decode()


def test_cannot_support_own_idea(employee, employee_client):
    idea = IdeaFactory(submitter=employee)
    assert "Support this idea" not in employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    response = employee_client.post(f"/ideas/{idea.pk}/support/", follow=True)
    assert "You cannot support your own idea." in messages_of(response)
    idea.refresh_from_db()
    assert idea.support_count == 0 and not Support.objects.exists()


def test_cannot_support_a_duplicate(employee_client, reviewer):
    original, copy = IdeaFactory(), IdeaFactory()
    from ideas import services
    from tests.ideas.factories import stage

    services.idea_transition(idea=copy, to_stage=stage("Duplicate"), actor=reviewer,
                             reason="Same", duplicate_of=original)
    response = employee_client.post(f"/ideas/{copy.pk}/support/", follow=True)
    assert "support the original instead" in messages_of(response)
    assert not Support.objects.exists()


@pytest.mark.parametrize("path", [["Declined"], ["Triage", "Accepted", "In progress",
                                                 "Implemented"]])
def test_a_decided_idea_takes_no_support(employee_client, reviewer, path):
    from tests.ideas.factories import move

    idea = move(IdeaFactory(), *path, actor=reviewer)
    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Support this idea" not in page
    response = employee_client.post(f"/ideas/{idea.pk}/support/", follow=True)
    assert "it no longer takes support" in messages_of(response)
    assert not Support.objects.exists()


def test_support_count_reads_in_the_singular_for_one(employee_client, reviewer):
    idea = IdeaFactory()
    from ideas import services

    services.support_add(idea=idea, actor=reviewer)
    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "1 <span>supporter</span>" in page and "1 <span>supporters" not in page


# --- comments ----------------------------------------------------------------------------

def test_comment_edit_and_delete_own_only(employee, employee_client):
    idea = IdeaFactory()
    employee_client.post(f"/ideas/{idea.pk}/comments/", {"body": "Great idea"})
    comment = Comment.objects.get()
    assert Idea.objects.get(pk=idea.pk).comment_count == 1
    response = employee_client.post(f"/ideas/comments/{comment.pk}/edit/",
                                    {"body": "Great idea, really"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Great idea, really" and comment.edited_at is not None
    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Great idea, really" in page and "edited" in page

    other = as_user(UserFactory())
    assert other.post(f"/ideas/comments/{comment.pk}/edit/", {"body": "Bad"}).status_code == 403
    assert other.post(f"/ideas/comments/{comment.pk}/delete/").status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Great idea, really"

    assert employee_client.post(f"/ideas/comments/{comment.pk}/delete/").status_code == 302
    assert not Comment.objects.exists()
    assert Idea.objects.get(pk=idea.pk).comment_count == 0


def test_empty_or_oversize_comments_are_refused(employee_client):
    idea = IdeaFactory()
    for body in ["", "   ", "x" * 5001]:
        response = employee_client.post(f"/ideas/{idea.pk}/comments/", {"body": body},
                                        follow=True)
        assert "empty or too long" in messages_of(response) or "Write something" in \
            messages_of(response)
    assert not Comment.objects.exists()
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    employee_client.post(f"/ideas/{idea.pk}/comments/", {"body": "Fine"})
    comment = Comment.objects.get()
    response = employee_client.post(f"/ideas/comments/{comment.pk}/edit/", {"body": "x" * 5001})
    assert response.status_code == 400
    assert Comment.objects.get().body == "Fine"


def test_reviewers_hide_comments_with_a_reason(employee, employee_client, reviewer):
    idea = IdeaFactory()
    author = UserFactory(display_name="Kim Commenter")
    comment = Comment.objects.create(idea=idea, author=author, body="Call 555-0100 for Kim")
    client = as_user(reviewer)
    response = client.post(f"/ideas/comments/{comment.pk}/hide/", {"reason": ""}, follow=True)
    assert "Give a reason" in messages_of(response)
    assert Comment.objects.get(pk=comment.pk).hidden_at is None
    client.post(f"/ideas/comments/{comment.pk}/hide/", {"reason": "Personal phone number"})
    comment.refresh_from_db()
    assert comment.hidden_at is not None and comment.hidden_by == reviewer

    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Call 555-0100" not in page
    assert "Hidden by Rui Reviewer: Personal phone number" in page
    assert "Call 555-0100" in as_user(reviewer).get(f"/ideas/{idea.pk}/").content.decode()
    assert "Call 555-0100" in as_user(author).get(f"/ideas/{idea.pk}/").content.decode()
    # A hidden comment is no longer edited by its author.
    as_user(author).post(f"/ideas/comments/{comment.pk}/edit/", {"body": "Changed"})
    assert Comment.objects.get(pk=comment.pk).body == "Call 555-0100 for Kim"
