"""A notification is rendered in its reader's language, whatever the language of the
person whose action caused it: in the notification centre (the page's language) and in
the e-mail (the recipient's preferred language). Found by the audit: an English
submitter received a Persian title after a Persian reviewer decided."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from champions import services as champion_services
from ideas.models import Follow
from ideas.services import idea_transition
from notifications.kinds import kinds
from notifications.models import Notification
from people import roles
from tests.factories import DepartmentFactory, UserFactory
from tests.ideas.factories import IdeaFactory, stage

pytestmark = pytest.mark.django_db

PERSIAN = re.compile("[\u0600-\u06ff]")
THAI = re.compile("[\u0e00-\u0e7f]")


def moved_to(language: str, title: str, stage_name: str) -> str:
    with translation.override(language):
        return translation.gettext("“%(title)s” moved to %(stage)s") % {
            "title": title, "stage": translation.gettext(stage_name)}


def raw(message) -> str:
    """The e-mail as it goes on the wire, decoded (subject and bodies)."""
    import email

    parsed = email.message_from_bytes(message.message().as_bytes())
    parts = [str(email.header.make_header(email.header.decode_header(parsed["Subject"])))]
    for part in parsed.walk():
        if not part.is_multipart():
            parts.append(part.get_payload(decode=True).decode(part.get_content_charset()))
    return "\n".join(parts)


@pytest.fixture
def persian_reviewer(db):
    return UserFactory(display_name="Parisa", preferred_language="fa",
                       roles=[roles.REVIEWER])


def test_a_decision_reaches_each_reader_in_their_own_language(
        persian_reviewer, mailoutbox, django_capture_on_commit_callbacks):
    submitter = UserFactory(preferred_language="en", email="sam@example.com")
    thai_follower = UserFactory(preferred_language="th", email="somchai@example.com")
    persian_follower = UserFactory(preferred_language="fa", email="navid@example.com")
    idea = IdeaFactory(submitter=submitter, title="Call back before noon")
    for person in (thai_follower, persian_follower):
        Follow.objects.create(idea=idea, user=person)

    # The reviewer works in Persian: their request's language is active.
    with translation.override("fa"), django_capture_on_commit_callbacks(execute=True):
        idea_transition(idea=idea, to_stage=stage("Triage"), actor=persian_reviewer,
                        reason="Looks promising")

    mails = {m.to[0]: raw(m) for m in mailoutbox}
    assert set(mails) == {submitter.email, thai_follower.email, persian_follower.email}
    english = mails[submitter.email]
    assert moved_to("en", idea.title, "Triage") in english
    assert "“Call back before noon” moved to Triage" in english
    assert not PERSIAN.search(english)
    thai = mails[thai_follower.email]
    assert moved_to("th", idea.title, "Triage") in thai and THAI.search(thai)
    assert not PERSIAN.search(thai)
    persian = mails[persian_follower.email]
    assert moved_to("fa", idea.title, "Triage") in persian
    # Links come from reverse(), whatever the language.
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("ideas:detail", args=[idea.pk])
    assert all(link in text for text in mails.values())

    # What is stored is what happened, not text in someone's language.
    stored = Notification.objects.get(recipient=submitter)
    assert stored.params["stage"] == "Triage" and stored.legacy_title == ""


@pytest.mark.parametrize("language", ["en", "th", "fa"])
def test_the_notification_centre_shows_the_readers_language(persian_reviewer, language):
    submitter = UserFactory(preferred_language=language)
    idea = IdeaFactory(submitter=submitter, title="Claims by chat")
    with translation.override("fa" if language != "fa" else "en"):
        idea_transition(idea=idea, to_stage=stage("Triage"), actor=persian_reviewer)
    client = Client()
    client.force_login(submitter)
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    expected = moved_to(language, "Claims by chat", "Triage")
    # Rendered text is HTML-escaped on the page; the quotes are not special characters.
    assert expected in page
    assert f'href="{reverse("ideas:detail", args=[idea.pk])}"' in page


def test_champion_and_onboarding_news_render_in_the_recipients_language(
        mailoutbox, django_capture_on_commit_callbacks):
    """Dates are written the reader's way too (a Persian reader's date is not English)."""
    department = DepartmentFactory(name="Claims")
    admin = UserFactory(preferred_language="th", roles=[roles.PROGRAMME_ADMIN])
    nominator = UserFactory(preferred_language="en")
    nominee = UserFactory(preferred_language="fa", department=department)
    with django_capture_on_commit_callbacks(execute=True):
        champion_services.nomination_create(
            nominee=nominee, department=department, nominator=nominator,
            reason="Calls customers back")
    (message,) = [m for m in mailoutbox if m.to == [admin.email]]
    with translation.override("th"):
        expected = translation.gettext("%(name)s was nominated as champion for %(dept)s") % {
            "name": nominee.name, "dept": "Claims"}
    assert expected in raw(message) and THAI.search(raw(message))


def test_every_kind_renders_in_every_language_without_missing_parameters():
    """Every registered kind, rendered from the parameters its service stores, in each
    language: no KeyError, no empty title, and a link inside the intranet."""
    samples = {
        "ideas.decision": {"idea": 1, "title": "T", "stage": "Accepted", "reason": "",
                           "original": "O"},
        "ideas.assigned": {"count": 2},
        "ideas.sponsor": {"idea": 1, "title": "T"},
        "ideas.champion_sponsor": {"idea": 1, "title": "T", "champion": "C"},
        "ideas.overdue_reminder": {"count": 3, "unassigned": True},
        "ideas.campaign_launched": {"campaign": 1, "question": "Q?", "closes_on": "2026-12-31",
                                    "path": "/campaigns/q/"},
        "ideas.campaign_closing": {"campaign": 1, "question": "Q?", "closes_on": "2026-12-31",
                                   "path": "/campaigns/q/"},
        "ideas.campaign_results": {"campaign": 1, "question": "Q?", "closes_on": "2026-12-31",
                                   "path": "/campaigns/q/"},
        "ideas.impact_due": {"idea": 1, "title": "T", "days": 20},
        "ideas.coauthor_invited": {"idea": 1, "title": "T", "by": "B"},
        "ideas.coauthor_answered": {"idea": 1, "title": "T", "by": "B", "accepted": True},
        "ideas.thanked": {"idea": 1, "title": "T", "by": "B", "note": "Thanks"},
        "ideas.questions_missing": {"idea": 1, "title": "T",
                                    "missing": ["customer_named", "delight_explained"]},
        "champions.insight_to_idea": {"insight": 1, "idea": 1, "title": "T", "by": "B"},
        "champions.insight_assigned": {"insight": 1, "text": "T",
                                       "respond_by": "2026-12-07T10:00:00+00:00"},
        "champions.insight_answered": {"insight": 1, "text": "T", "respond_by": "",
                                       "status": "acted_on", "note": "Done", "by": "B"},
        "champions.pulse_open": {"round": 1, "title": "T",
                                 "closes_at": "2026-12-07T23:59:59+00:00"},
        "champions.insight_due": {"insight": 1, "text": "T",
                                  "respond_by": "2026-12-07T10:00:00+00:00"},
        "champions.insight_overdue": {"insight": 1, "text": "T", "owner": "O",
                                      "respond_by": "2026-12-07T10:00:00+00:00"},
        "champions.nomination": {"nominee": "N", "department": "D", "reason": "R"},
        "champions.nomination_decision": {"approved": True, "person": 1, "nominee": "N",
                                          "department": "D", "reason": ""},
        "champions.term_ending": {"person": 1, "person_name": "N", "department": "D",
                                  "ends_on": "2026-12-31"},
        "training.enrolled": {"path": "P", "count": 3},
        "training.review": {"module": "M", "path": "/onboarding/m/"},
        "training.due": {"module": "M", "overdue": True, "due_on": "2026-12-01"},
        "training.team_overdue": {"count": 2},
        "webhooks.endpoint_disabled": {"endpoint": 1, "url": "https://hooks.example.com/x",
                                       "description": "CRM", "failures": 15},
    }
    registered = set(kinds.verbs()) - {"tests.message"}
    assert registered == set(samples)
    for verb, params in samples.items():
        note = Notification(verb=verb, params=params)
        titles = set()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                shown = note.rendered()
            assert shown.title and shown.link.startswith("/"), (verb, language)
            titles.add(shown.title)
        assert len(titles) == len(settings.LANGUAGES), (verb, titles)


def test_a_notification_written_before_late_rendering_shows_its_stored_text(employee):
    note = Notification.objects.create(recipient=employee, verb="ideas.decision",
                                       legacy_title="Your idea was accepted",
                                       legacy_url="/ideas/1/")
    with translation.override("fa"):
        assert note.title == "Your idea was accepted" and note.link == "/ideas/1/"


def test_an_unknown_kind_is_refused(employee):
    from notifications.services import notification_create

    with pytest.raises(ValueError):
        notification_create(recipients=[employee], verb="ideas.decided", params={})
    assert not Notification.objects.exists()
