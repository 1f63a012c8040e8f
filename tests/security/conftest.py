"""The world the permission matrix (test_permission_matrix.py) runs in: one person per
role, plus objects each role must not see, each carrying a unique marker text.

The world is built once per module inside a transaction that is rolled back at the end;
every request of the matrix runs in a savepoint of its own that is rolled back after it,
so a POST that deletes or changes something never affects the next cell."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

# Markers: unique texts carried by private objects. Lower case, so tag names can carry
# them too; the matrix looks for them case-insensitively in every response.
DRAFT = "secretdraftqx7"  # another person's draft idea: nobody else may see it
CONFIDENTIAL = "secretconfqx7"  # a confidential idea: reviewers and programme admins only
NOTE = "secretnoteqx7"  # an internal note: reviewers and programme admins only
OWN_NOTE = "secretownnoteqx7"  # another reviewer's note on the reviewer's own idea
NOTIFICATION = "secretnotifqx7"  # another person's notification: only them
ISSUE_BODY = "secretissueqx7"  # another champion's unpublished newsletter issue
TRAINING = "secrettrainingqx7"  # an unpublished onboarding module
NOMINATION = "secretnominationqx7"  # an open nomination's reason: programme admins only
DELIVERY = "secretdeliveryqx7"  # a failed delivery's error: programme admins only
USERNAME = "secretuserqx7"  # another person's username: programme admins only
PULSE = "secretpulseqx7"  # a written pulse answer: champions and programme admins only

ROLES = ("anonymous", "employee", "new_hire", "champion", "reviewer", "programme_admin")

# Which roles must never see each marker (in any response: page, CSV, JSON, header).
PRIVATE_TO = {
    DRAFT: set(ROLES),
    CONFIDENTIAL: {"anonymous", "employee", "new_hire", "champion"},
    NOTE: {"anonymous", "employee", "new_hire", "champion"},
    OWN_NOTE: {"anonymous", "employee", "new_hire", "champion", "reviewer"},
    NOTIFICATION: set(ROLES),
    ISSUE_BODY: {"anonymous", "employee", "new_hire", "champion", "reviewer"},
    TRAINING: {"anonymous", "employee", "new_hire", "champion", "reviewer"},
    NOMINATION: {"anonymous", "employee", "new_hire", "champion", "reviewer"},
    DELIVERY: {"anonymous", "employee", "new_hire", "champion", "reviewer"},
    USERNAME: {"anonymous", "employee", "new_hire", "champion", "reviewer"},
    PULSE: {"anonymous", "employee", "new_hire", "reviewer"},
}


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (no entry for anonymous)
    other: object = None  # an employee who owns most private objects
    champion2: object = None  # another champion: author of the unpublished issue
    reviewer2: object = None  # another reviewer: author of notes and scores
    ideas: dict = field(default_factory=dict)  # draft, confidential, own, public -> Idea
    comments: dict = field(default_factory=dict)  # variant -> Comment (mine: per role)
    my_comments: dict = field(default_factory=dict)  # role -> Comment
    attachments: dict = field(default_factory=dict)  # variant -> Attachment
    contributions: dict = field(default_factory=dict)  # invited, confidential -> Contributor
    pages: dict = field(default_factory=dict)  # variant -> dict of page-related ids
    ids: dict = field(default_factory=dict)  # anything else by name
    snippets: dict = field(default_factory=dict)  # "app_model" -> pk
    emails: dict = field(default_factory=dict)  # user pk -> e-mail address at the start


def _user(name, username, roles=(), **extra):
    from tests.factories import UserFactory

    return UserFactory(display_name=name, username=username, roles=list(roles), **extra)


def _build_world() -> World:  # noqa: PLR0915 - one linear script is easiest to read
    from allauth.account.models import EmailAddress  # noqa: F401 (factories use it)
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from taggit.models import Tag
    from wagtail.admin.models import EditingSession
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection, Site, Workflow, WorkflowState

    from champions.models import (
        Insight,
        Nomination,
        PulseAnswer,
        PulseQuestion,
        PulseResponse,
        PulseRound,
        PulseSurvey,
        Term,
    )
    from ideas.models import Comment, Contributor, Idea, InternalNote, Score, Stage
    from newsletter.emails import unsubscribe_token
    from newsletter.models import (
        Delivery,
        NewsletterArchivePage,
        NewsletterIssuePage,
        Send,
    )
    from newsletter.setup import WORKFLOW_NAME
    from notifications.models import Notification
    from people import roles
    from people.models import Channel, CustomerSegment, Department, JourneyMap, JourneyStage
    from tests.ideas.factories import IdeaFactory, add_attachment
    from tests.training.factories import module_page, onboarding_path, training_index
    from training.models import Enrolment, ModulePage, OnboardingPath, QuizAttempt

    w = World()
    department = Department.objects.create(name="Claims", head_count=12)
    w.ids["department"] = department.pk
    w.users = {
        "employee": _user("Erin Employee", "erin", department=department),
        "new_hire": _user("Nasrin Newhire", "nasrin", [roles.NEW_HIRE], department=department),
        "champion": _user("Chai Champion", "chai", [roles.CHAMPION], department=department),
        "reviewer": _user("Rui Reviewer", "rui", [roles.REVIEWER], department=department),
        "programme_admin": _user("Ada Admin", "ada", [roles.PROGRAMME_ADMIN, roles.REVIEWER],
                                 department=department),
    }
    w.other = _user("Omar Other", USERNAME, email="omar@example.com", department=department,
                    job_title="Claims handler")
    w.champion2 = _user("Cleo Champion", "cleo", [roles.CHAMPION], department=department)
    w.reviewer2 = _user("Remy Reviewer", "remy", [roles.REVIEWER], department=department)
    w.ids["other_user"] = w.other.pk

    # --- ideas -----------------------------------------------------------------------
    segment = CustomerSegment.objects.create(name="Families", summary="Move often.")
    w.ids["segment"] = segment.pk
    w.snippets["people_journeymap"] = JourneyMap.objects.create(
        title="A move, as a family lives it", customer_segment=segment).pk
    accepted = Stage.objects.get(name="Accepted")
    now = timezone.now()
    draft = IdeaFactory(title=f"Draft {DRAFT} title", problem=f"Problem {DRAFT}",
                        submitter=w.other, status=Idea.Status.DRAFT, department=department,
                        customer_segment=segment)
    draft.tags.add(f"{DRAFT}-tag")
    confidential = IdeaFactory(title=f"Confidential {CONFIDENTIAL} title",
                               problem=f"Problem {CONFIDENTIAL}", submitter=w.other,
                               confidential=True, department=department,
                               customer_segment=segment)
    confidential.tags.add(f"{CONFIDENTIAL}-tag")
    # Decided, so the "you said, we did" chooser would list it if it forgot the rule.
    Idea.objects.filter(pk=confidential.pk).update(stage=accepted, decided_at=now,
                                                   first_decided_at=now)
    own = IdeaFactory(title="The reviewer's own idea", submitter=w.users["reviewer"],
                      department=department, customer_segment=segment)
    public = IdeaFactory(title="A public idea", submitter=w.other, department=department,
                         customer_segment=segment)
    Idea.objects.filter(pk=public.pk).update(stage=accepted, decided_at=now,
                                             first_decided_at=now)
    for idea in (draft, confidential, own, public):
        idea.refresh_search_text()
        Idea.objects.filter(pk=idea.pk).update(search_text=idea.search_text)
    w.ideas = {"draft": draft, "confidential": confidential, "own": own, "public": public}

    w.attachments = {
        "draft": add_attachment(draft, name=f"{DRAFT}.png"),
        "confidential": add_attachment(confidential, name=f"{CONFIDENTIAL}.png"),
        "public": add_attachment(public, name="public-photo.png"),
    }
    w.comments = {
        "draft": Comment.objects.create(idea=draft, author=w.other, body=f"On {DRAFT}"),
        "confidential": Comment.objects.create(idea=confidential, author=w.other,
                                               body=f"On {CONFIDENTIAL}"),
        # Criticism of the reviewer's idea: the reviewer must not hide it.
        "own": Comment.objects.create(idea=own, author=w.other,
                                      body="This idea will not work."),
        "public": Comment.objects.create(idea=public, author=w.other, body="Great idea."),
    }
    for role, person in w.users.items():
        w.my_comments[role] = Comment.objects.create(idea=public, author=person,
                                                     body=f"My comment ({role}).")
    for idea in (draft, confidential, own, public):
        Idea.objects.filter(pk=idea.pk).update(comment_count=idea.comments.count())
    w.contributions = {
        "invited": Contributor.objects.create(idea=public, person=w.users["employee"],
                                              invited_by=w.other),
        "confidential": Contributor.objects.create(idea=confidential, person=w.reviewer2,
                                                   invited_by=w.other),
    }
    InternalNote.objects.create(idea=public, author=w.reviewer2, body=f"Note {NOTE}")
    InternalNote.objects.create(idea=confidential, author=w.reviewer2,
                                body=f"Note {CONFIDENTIAL}")
    InternalNote.objects.create(idea=own, author=w.reviewer2, body=f"Note {OWN_NOTE}")
    for idea in (public, own, confidential):
        Score.objects.create(idea=idea, reviewer=w.reviewer2, impact=5, reach=4,
                             confidence=3, effort=2)

    # --- notifications, champions ------------------------------------------------------
    Notification.objects.create(recipient=w.other, verb="tests.message",
                                params={"title": f"Your idea {NOTIFICATION}",
                                        "body": f"{NOTIFICATION}",
                                        "url": draft.get_absolute_url()})
    for person in w.users.values():
        Notification.objects.create(recipient=person, verb="tests.message",
                                    params={"title": "Something happened", "url": "/ideas/"})
    nomination = Nomination.objects.create(nominee=w.other, nominator=w.reviewer2,
                                           department=department,
                                           reason=f"Because {NOMINATION}")
    w.ids["nomination"] = nomination.pk
    today = timezone.localdate()
    w.ids["term_champion"] = Term.objects.create(
        person=w.users["champion"], department=department, starts_on=today - timedelta(30),
        ends_on=today + timedelta(300)).pk
    w.ids["term_champion2"] = Term.objects.create(
        person=w.champion2, department=department, starts_on=today - timedelta(30),
        ends_on=today + timedelta(300)).pk
    insight = Insight.objects.create(author=w.other, department=department,
                                     text="Customers want one number to call.")
    w.snippets["champions_insight"] = insight.pk
    survey = PulseSurvey.objects.create(title="Customer closeness")
    question = PulseQuestion.objects.create(survey=survey, kind="text", text="What surprised?")
    pulse_round = PulseRound.objects.create(
        survey=survey, number=1, opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=5))
    response = PulseResponse.objects.create(round=pulse_round, respondent_key="other",
                                            department=department)
    w.ids["pulse_round"] = pulse_round.pk
    w.snippets["champions_pulsesurvey"] = survey.pk
    w.ids["pulse_question"] = question.pk
    w.ids["pulse_answer"] = PulseAnswer.objects.create(
        response=response, question=question, text=f"Customers said {PULSE}").pk

    # --- newsletter --------------------------------------------------------------------
    archive = NewsletterArchivePage.objects.get()
    unpublished = archive.add_child(instance=NewsletterIssuePage(
        title="Customer life: draft by Cleo", slug="draft-by-cleo", owner=w.champion2,
        intro=f"Intro {ISSUE_BODY}", live=False))
    issue_revision = unpublished.save_revision(user=w.champion2)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    workflow_state = workflow.start(unpublished, w.champion2) if workflow else None
    mine = archive.add_child(instance=NewsletterIssuePage(
        title="Customer life: draft by Chai", slug="draft-by-chai",
        owner=w.users["champion"], intro="Mine.", live=False))
    mine_revision = mine.save_revision(user=w.users["champion"])
    sent = archive.add_child(instance=NewsletterIssuePage(
        title="Customer life: October", slug="october", owner=w.champion2, live=True,
        first_published_at=now))
    sent.save_revision(user=w.champion2)
    send = Send.objects.create(issue=sent, status=Send.Status.DONE, started_by=w.champion2)
    Delivery.objects.create(send=send, issue=sent, recipient=w.other, email=w.other.email,
                            status=Delivery.Status.FAILED, error=f"550 {DELIVERY}")
    w.ids["send"] = send.pk
    w.ids["unsubscribe_token"] = unsubscribe_token(w.other)
    task_state = workflow_state.current_task_state if workflow_state else None
    w.pages["issue"] = {
        "page": unpublished.pk, "revision": issue_revision.pk,
        "workflow_state": workflow_state.pk if workflow_state else 999999,
        "task_state": task_state.pk if task_state else 999999,
        "task": task_state.task_id if task_state else 999999,
        "parent": archive.pk,
    }
    w.pages["myissue"] = {"page": mine.pk, "revision": mine_revision.pk,
                          "workflow_state": 999999, "task_state": 999999, "task": 999999,
                          "parent": archive.pk}
    w.ids["archive"] = archive.pk
    w.ids["sent_issue"] = sent.pk
    w.ids["workflow"] = workflow.pk if workflow else 999999
    w.ids["task"] = task_state.task_id if task_state else 999999
    assert WorkflowState.objects.filter(pk=w.pages["issue"]["workflow_state"]).exists()

    # --- training ----------------------------------------------------------------------
    index = training_index()
    live_module = module_page("basics", title="Who our customers are")
    secret = index.add_child(instance=ModulePage(
        title=f"Module {TRAINING}", slug="unpublished-module", summary=f"About {TRAINING}",
        quiz=json.dumps([]), live=False))
    secret_revision = secret.save_revision(user=w.users["programme_admin"])
    w.pages["training"] = {"page": secret.pk, "revision": secret_revision.pk,
                           "workflow_state": 999999, "task_state": 999999, "task": 999999,
                           "parent": index.pk}
    w.ids["training_index"] = index.pk
    w.ids["live_module"] = live_module.pk
    w.ids["unpublished_module"] = secret.pk
    path = onboarding_path("First week", [(live_module, 5)])
    w.ids["path"] = path.pk
    w.snippets["training_onboardingpath"] = path.pk
    Enrolment.objects.create(user=w.other, module=live_module, path=path,
                             due_on=today + timedelta(5))
    QuizAttempt.objects.create(user=w.other, module=live_module, score=33, passed=False,
                               answers={"x": ["y"]}, token="0" * 32)

    # --- Wagtail admin objects --------------------------------------------------------
    from people.models import ProgrammeSettings

    w.ids["programme_settings"] = ProgrammeSettings.load().pk
    root_collection = Collection.get_first_root_node()
    collection = root_collection.add_child(name="Claims photos")
    w.ids["collection"] = collection.pk
    image = Image.objects.create(title="Field rations", collection=collection,
                                 file=get_test_image_file("rations.png", size=(20, 20)))
    w.ids["image"] = image.pk
    document = Document.objects.create(title="Claims handbook", collection=collection,
                                       file=ContentFile(b"handbook", name="handbook.txt"))
    w.ids["document"] = document.pk
    w.ids["redirect"] = Redirect.objects.create(old_path="/old-claims",
                                                redirect_link="/ideas/").pk
    w.ids["site"] = Site.objects.get(is_default_site=True).pk
    w.ids["group"] = Group.objects.get(name=roles.REVIEWER).pk
    w.ids["editing_session"] = EditingSession.objects.create(
        user=w.champion2, content_type=ContentType.objects.get_for_model(unpublished),
        object_id=str(unpublished.pk), last_seen_at=now).pk
    w.ids["tag"] = Tag.objects.get(name=f"{DRAFT}-tag").pk
    w.snippets.update({
        "people_customersegment": segment.pk,
        "people_journeystage": JourneyStage.objects.get_or_create(name="Buy")[0].pk,
        "people_channel": Channel.objects.get_or_create(name="Phone")[0].pk,
        "people_department": department.pk,
        "ideas_stage": Stage.objects.get(is_initial=True).pk,
    })
    assert OnboardingPath.objects.filter(pk=path.pk).exists()
    from people.models import User

    w.emails = dict(User.objects.values_list("pk", "email"))
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The matrix's world: built once for the module, rolled back after it. (The module
    using it must be marked django_db, or pytest-django creates no test database.)"""
    from django.db import connection

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
