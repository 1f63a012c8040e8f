import io
import os
from datetime import timedelta
from importlib import import_module

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from ideas.models import Comment, Idea, Score, Stage, Support, Transition
from people.models import CustomerSegment, User
from shared.search import filter_by_text

pytestmark = pytest.mark.django_db

DEFAULT_STAGES = import_module("ideas.migrations.0002_default_pipeline_and_roles").STAGES


def _counts():
    return {model.__name__: model.objects.count() for model in
            (Idea, Transition, Support, Comment, Score, CustomerSegment, User)}


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    first = _counts()
    ideas = list(Idea.objects.order_by("pk").values_list(
        "title", "stage__name", "support_count", "comment_count", "submitted_at"))
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    assert _counts() == first
    assert list(Idea.objects.order_by("pk").values_list(
        "title", "stage__name", "support_count", "comment_count", "submitted_at")) == ideas
    assert first["Idea"] >= 12


def test_demo_ideas_cover_every_stage_and_the_rules():
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    used = set(Idea.objects.exclude(stage=None).values_list("stage__name", flat=True))
    assert set(DEFAULT_STAGES) <= used
    assert Idea.objects.filter(status=Idea.Status.DRAFT).exists()
    assert Idea.objects.filter(confidential=True, status=Idea.Status.SUBMITTED).exists()
    assert Idea.objects.filter(stage__name="Accepted").exclude(sponsor=None).exists()
    duplicate = Idea.objects.get(stage__name="Duplicate")
    assert duplicate.duplicate_of is not None
    for name in ("Declined", "Duplicate", "Parked"):
        assert Transition.objects.filter(to_stage__name=name).exclude(reason="").exists()
    # Nobody decides their own idea; counters match the rows.
    assert not Transition.objects.exclude(from_stage=None).filter(actor=F("idea__submitter"))
    _assert_consistent()
    # Written in several scripts, and found by a word inside Thai text.
    assert filter_by_text(Idea.objects.all(), "เคลม").exists()
    assert Idea.objects.filter(title__regex="[\u0600-\u06ff]").exists()  # Persian
    assert Idea.objects.filter(title__regex="[\u0e80-\u0eff]").exists()  # Lao
    assert Idea.objects.filter(title__regex="[\u1780-\u17ff]").exists()  # Khmer
    assert CustomerSegment.objects.filter(name="Military families on the move").exclude(
        pains="").exists()
    # Recognition: a co-authored, measured idea with thanks, so the board has a story.
    from ideas.models import Contributor, ThankYou

    credited = Contributor.objects.get(status="accepted").idea
    assert credited.impact.improved and ThankYou.objects.filter(idea=credited).count() == 2


def _assert_consistent():
    edges = set(Stage.allowed_next.through.objects.values_list("from_stage_id", "to_stage_id"))
    mismatched = Idea.objects.annotate(supports_n=Count("supports", distinct=True),
                                       comments_n=Count("comments", distinct=True))
    for idea in mismatched:
        assert idea.support_count == idea.supports_n, idea.title
        assert idea.comment_count == idea.comments_n, idea.title
    for idea in Idea.objects.exclude(status=Idea.Status.DRAFT).select_related("stage"):
        chain = list(idea.transitions.order_by("created_at", "pk"))
        assert chain, idea.title
        assert chain[0].from_stage_id is None and chain[0].to_stage.is_initial
        for before, after in zip(chain, chain[1:], strict=False):
            assert after.from_stage_id == before.to_stage_id
            assert (before.to_stage_id, after.to_stage_id) in edges
            assert after.created_at >= before.created_at
        assert chain[-1].to_stage_id == idea.stage_id, idea.title
        assert idea.submitted_at is not None
        if idea.stage.is_decided:
            assert idea.first_decided_at is not None and idea.decided_at is not None
            assert idea.first_decided_at <= idea.decided_at
            assert idea.first_decided_at >= idea.submitted_at


def test_generate_ideas_writes_consistent_rows_without_notifications(mailoutbox):
    from notifications.models import Notification

    out = io.StringIO()
    call_command("generate_ideas", ideas=300, seed=3, batch=128, stdout=out)
    assert "300 ideas" in out.getvalue()
    assert Idea.objects.count() == 300
    assert User.objects.filter(username__startswith="bench-").count() == 20
    _assert_consistent()
    assert set(Idea.objects.values_list("status", flat=True)) >= {"draft", "submitted"}
    assert Idea.objects.filter(confidential=True).exists()
    assert Idea.objects.filter(stage__kind=Stage.Kind.DUPLICATE, duplicate_of=None).count() == 0
    assert not Support.objects.filter(user=F("idea__submitter")).exists()
    assert not Support.objects.filter(idea__stage__kind=Stage.Kind.DUPLICATE).exists()
    assert Support.objects.count() > 0 and Comment.objects.count() > 0
    # Spread over years, with search text that finds a word inside Thai sentences.
    years = {d.year for d in Idea.objects.exclude(submitted_at=None).dates("submitted_at",
                                                                           "year")}
    assert len(years) >= 3
    assert filter_by_text(Idea.objects.all(), "ลูกค้า").count() > 0
    assert not Idea.objects.filter(search_text="").exists()
    assert Notification.objects.count() == 0 and mailoutbox == []


def test_generate_ideas_is_deterministic_and_can_run_again():
    call_command("generate_ideas", ideas=60, seed=9, stdout=io.StringIO())
    fields = ("title", "stage__name", "support_count", "comment_count", "submitted_at",
              "confidential")
    first = list(Idea.objects.order_by("pk").values_list(*fields))
    Idea.objects.all().delete()
    User.objects.filter(username__startswith="bench-").delete()
    call_command("generate_ideas", ideas=60, seed=9, stdout=io.StringIO())
    assert list(Idea.objects.order_by("pk").values_list(*fields)) == first
    # A second run adds people under new names instead of clashing with the first.
    call_command("generate_ideas", ideas=10, employees=5, seed=9, stdout=io.StringIO())
    assert Idea.objects.count() == 70
    assert User.objects.filter(username__startswith="bench-").count() == 25
    _assert_consistent()


def test_demo_notifications_carry_the_date_of_what_they_tell():
    # A decision made months ago is not news today: the demo employee's inbox reads as a
    # history, newest first, not as a dozen things that all happened this morning.
    from notifications.models import Notification

    call_command("seed_demo", stdout=open(os.devnull, "w"))
    employee = User.objects.get(email="employee@example.com")
    dates = list(Notification.objects.filter(recipient=employee)
                 .values_list("created_at", flat=True))
    assert len(dates) > 5
    week_ago = timezone.now() - timedelta(days=7)
    assert sum(d < week_ago for d in dates) > len(dates) / 2
    oldest_decision = Transition.objects.filter(
        idea__submitter=employee, to_stage__name="Implemented").get()
    assert oldest_decision.created_at in dates


def test_demo_ideas_carry_pictures_that_the_cards_show(client):
    from ideas.demo import PICTURES
    from ideas.models import Attachment
    from people.models import User

    call_command("seed_demo", stdout=open(os.devnull, "w"))
    pictured = Attachment.objects.filter(content_type="image/jpeg")
    assert set(pictured.values_list("idea__title", flat=True)) == set(PICTURES)
    client.force_login(User.objects.get(email="employee@example.com"))
    page = client.get("/ideas/").content.decode()
    shown = [a for a in pictured if not a.idea.confidential
             and f"/ideas/attachments/{a.pk}/thumbnail/" in page]
    assert len(shown) >= 3
    thumbnail = client.get(f"/ideas/attachments/{shown[0].pk}/thumbnail/")
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
