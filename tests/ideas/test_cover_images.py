"""Idea cards show the first image attached to the idea as a small picture, served
through the same permission check as the attachment itself."""

import io

import pytest
from django.test import Client
from PIL import Image

from tests.champions.factories import as_user
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, add_attachment, tiny_pdf

pytestmark = pytest.mark.django_db


def big_jpeg(width=1600, height=900) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def thumbnail_url(attachment) -> str:
    return f"/ideas/attachments/{attachment.pk}/thumbnail/"


def test_the_card_shows_the_first_image_not_a_pdf(employee):
    with_pdf_first = IdeaFactory(title="Claims letters in plain words")
    add_attachment(with_pdf_first, name="letter.pdf", content=tiny_pdf(),
                   content_type="application/pdf")
    photo = add_attachment(with_pdf_first, name="photo.jpg", content=big_jpeg(),
                           content_type="image/jpeg")
    add_attachment(with_pdf_first, name="later.png")
    only_pdf = IdeaFactory(title="Only a PDF")
    add_attachment(only_pdf, name="x.pdf", content=tiny_pdf(), content_type="application/pdf")
    page = as_user(employee).get("/ideas/").content.decode()
    assert page.count('class="idea-card__cover"') == 1
    assert f'src="{thumbnail_url(photo)}" alt=""' in page


def test_the_thumbnail_is_a_small_jpeg(employee):
    photo = add_attachment(IdeaFactory(), name="photo.jpg", content=big_jpeg(),
                           content_type="image/jpeg")
    client = as_user(employee)
    for _ in range(2):  # made once, then served from storage
        response = client.get(thumbnail_url(photo))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        body = b"".join(response.streaming_content)
        assert body[:2] == b"\xff\xd8"
        assert Image.open(io.BytesIO(body)).size == (480, 270)


def test_a_confidential_ideas_picture_stays_with_those_who_may_see_it(employee, reviewer):
    photo = add_attachment(IdeaFactory(confidential=True), name="photo.png")
    assert as_user(employee).get(thumbnail_url(photo)).status_code == 404
    assert as_user(reviewer).get(thumbnail_url(photo)).status_code == 200
    assert Client().get(thumbnail_url(photo)).status_code == 302  # to the login page


def test_a_draft_picture_is_its_authors_only(employee):
    author = UserFactory()
    photo = add_attachment(IdeaFactory(submitter=author, status="draft"), name="photo.png")
    assert as_user(employee).get(thumbnail_url(photo)).status_code == 404
    assert as_user(author).get(thumbnail_url(photo)).status_code == 200


def test_no_thumbnail_for_a_pdf_or_an_unreadable_image(employee):
    idea = IdeaFactory()
    pdf = add_attachment(idea, name="x.pdf", content=tiny_pdf(), content_type="application/pdf")
    broken = add_attachment(idea, name="broken.png", content=b"\x89PNG\r\n\x1a\nnot really")
    assert as_user(employee).get(thumbnail_url(pdf)).status_code == 404
    assert as_user(employee).get(thumbnail_url(broken)).status_code == 404
