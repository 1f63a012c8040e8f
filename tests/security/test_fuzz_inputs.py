"""Property-based fuzzing (Hypothesis) of every form and filter parameter of the
intranet: whatever a person or a script sends, no response is a server error, and a
refused submission changes nothing.

- TARGETS lists the GET list/filter pages and the POST forms. Their parameter names come
  from the forms and filtersets themselves (form.base_fields, filterset.base_filters), so
  a field added to one is fuzzed without touching this file; a few parameters views read
  outside a form (page, export, format, next...) are named here.
- Each example starts from a valid request and replaces any of its parameters with
  hostile values: huge and negative numbers, non-ASCII digits ("²", "۴۲"), floats,
  empty strings, long text, NUL bytes, HTML and script, dates out of range, several
  values for one name, and unknown parameter names.
- A POST counts as refused when it answers 4xx or queues an error message; then the
  fingerprint of the data it could change must be what it was before.
- Every example runs in a savepoint that is rolled back, so examples are independent of
  each other and of the order they run in.
- test_url_ids_never_fail does the same for the ids in every URL pattern of ours.

Each target first gets explicit examples (EACH_* and ALL below), then FUZZ_PER_PARAM
(default 1) random examples per parameter, at least 6, each changing one to three
parameters: about 800 requests in all. Runs are reproducible (derandomized) so
CI does not flake; FUZZ_RANDOM=1 explores new inputs (e.g. FUZZ_PER_PARAM=50
FUZZ_RANDOM=1 for a long local run)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django import forms
from django.contrib import messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from champions.forms import (
    DecisionForm,
    HandoverForm,
    InsightAnswerForm,
    InsightFilterSet,
    InsightForm,
    InsightQueueForm,
    InsightReassignForm,
    NominationForm,
    PulseLinksForm,
    RosterFilterForm,
)
from ideas.chooser import DecidedIdeaFilterForm
from ideas.filters import IdeaFilterSet, QueueFilterSet
from ideas.forms import (
    AssignForm,
    BulkDecideForm,
    CoauthorAnswerForm,
    CoauthorInviteForm,
    HideForm,
    IdeaForm,
    ImpactForm,
    ReviewForm,
    ScoreForm,
    SponsorForm,
    TextForm,
    ThankYouForm,
    TransitionForm,
)
from newsletter.forms import ConfirmPublishForm
from notifications.forms import NotificationReadForm, NotificationSettingsForm
from people.forms import ProfileForm
from people.views import PersonSearchForm
from portal.dashboard import DashboardFilterForm
from portal.search import SearchForm
from shared.parsing import MAX_ID
from tests.training.factories import as_post, right_answers
from training.forms import EnrolForm, ReportFilterForm

pytestmark = pytest.mark.django_db

PER_PARAM = int(os.environ.get("FUZZ_PER_PARAM", "1"))
FUZZ = hypothesis_settings(
    deadline=None, database=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)

# --- hostile values ----------------------------------------------------------------------

BIG = [str(MAX_ID), str(MAX_ID + 1), str(2**64), "9" * 25, "-" + "9" * 25, "9" * 5000]
ODD = ["0", "-0", "-1", "+1", " 7 ", "007", "1.5", "1.0", "1e3", "1e400", "NaN", "Infinity",
       "0x1F", "1_000", str(2**31), str(2**53 + 1)]
# Characters str.isdigit() accepts that int() refuses, and decimal digits of other
# scripts (which int() reads).
DIGITS = ["²", "³", "¹", "①", "½", "⁹⁹", "٣", "۴۲", "๔๒", "१२", "𝟗", "߁", "Ⅻ", "〇"]
NASTY = ["", " ", "\x00", "a\x00b", "\t\r\n", "<script>alert(1)</script>",
         '"><img src=x onerror=alert(1)>', "' OR '1'='1", "%00", "../../etc/passwd",
         "{{ 7*7 }}", "{% debug %}", '=HYPERLINK("http://evil")', "\u202e\u200f", "\ufeff",
         "x" * 10_000, "null", "None", "true", "on", "[]", "{}", "me", "none", "csv"]
DATES = ["0001-01-01", "9999-12-31", "10000-01-01", "0000-00-00", "2026-02-29",
         "2026-02-30", "2026-13-01", "-2026-01-01", "2026-1-1", "01/02/2026",
         "2026-01-01T25:00", "2026-W05"]
TEXT = st.text(st.characters(codec="utf-8"), max_size=30)

# One branch per kind of trouble, so each kind is drawn about as often as the others.
SCALAR = st.one_of(
    st.sampled_from(BIG), st.sampled_from(ODD), st.sampled_from(DIGITS),
    st.sampled_from(NASTY), st.sampled_from(DATES),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    TEXT,
)
HOSTILE = st.one_of(SCALAR, st.lists(SCALAR, min_size=2, max_size=4))

# Every run starts with explicit examples. Values that once broke parsing or what came
# after it go into one parameter at a time, the others valid, so the code behind a valid
# form runs too (a period ending on 9999-12-31 broke only once the form was valid): ids
# and numbers get EACH_NUMBER, dates EACH_DATE; free text is left to the random examples.
EACH_NUMBER = ["9" * 25, "²"]
EACH_DATE = ["9999-12-31", "0001-01-01"]
# And each ALL value goes into every parameter at once: parsing runs for each parameter
# however invalid the others are, so one request tries the value everywhere.
ALL = [str(MAX_ID + 1), "-1", "", "\x00", "x" * 10_000, ["1", "9" * 25]]


def explicit_examples(params, baseline) -> list[dict]:
    one_at_a_time = [{**baseline, name: value} for name in sorted(params)
                     for value in (EACH_DATE if name in DATE_PARAMS else
                                   [] if name in TEXT_PARAMS else EACH_NUMBER)]
    everywhere = [{**baseline, **dict.fromkeys(params, value)} for value in ALL]
    return one_at_a_time + (everywhere if params else [])


@st.composite
def request_data(draw, params, baseline: dict) -> dict:
    """The valid `baseline` request with one to three of its parameters (or of the
    other `params`) replaced by hostile values or left out, and perhaps an unknown
    parameter: close enough to valid that the code behind a valid form runs too."""
    data = dict(baseline)
    if params:
        for name in sorted(draw(st.sets(st.sampled_from(sorted(params)), min_size=1,
                                        max_size=min(3, len(params))))):
            if draw(st.integers(0, 4)) == 0:
                data.pop(name, None)
            else:
                data[name] = draw(HOSTILE)
    if not params or draw(st.integers(0, 4)) == 0:
        data[draw(TEXT.filter(lambda k: k not in params))] = draw(SCALAR)
    return data


DATE_PARAMS: set[str] = set()  # names of date fields
TEXT_PARAMS: set[str] = set()  # names of free-text fields (and choices of fixed words)


def names(form_or_filterset) -> list[str]:
    """The parameter names of a form (its fields) or filterset (its filters); notes
    which are dates and which are text. Parameters named by hand count as numbers."""
    fields = getattr(form_or_filterset, "base_filters", None)
    if fields is None:
        fields = form_or_filterset.base_fields
    for name, entry in fields.items():
        kind = getattr(entry, "field_class", type(entry))
        if issubclass(kind, forms.DateField):
            DATE_PARAMS.add(name)
        elif issubclass(kind, forms.CharField | forms.FileField | forms.BooleanField) or (
                issubclass(kind, forms.ChoiceField)
                and not issubclass(kind, forms.ModelChoiceField)):
            TEXT_PARAMS.add(name)
    return list(fields)


# --- the world ---------------------------------------------------------------------------

ROLES = ("anonymous", "employee", "reviewer", "champion", "programme_admin")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)


def _build() -> World:
    from champions.models import Insight, Nomination, Term
    from ideas.models import Comment, Contributor, Idea, Stage
    from newsletter.models import NewsletterArchivePage, NewsletterIssuePage
    from notifications.models import Notification
    from people import roles
    from people.models import CustomerSegment, Department
    from tests.factories import UserFactory
    from tests.ideas.factories import IdeaFactory
    from tests.training.factories import module_page, onboarding_path

    w = World()
    department = Department.objects.create(name="Claims", head_count=12)
    segment = CustomerSegment.objects.create(name="Families", summary="Move often.")
    make = {"employee": [], "reviewer": [roles.REVIEWER], "champion": [roles.CHAMPION],
            "programme_admin": [roles.PROGRAMME_ADMIN, roles.REVIEWER]}
    for role, groups in make.items():
        w.users[role] = UserFactory(display_name=role.title(), roles=groups,
                                    department=department)
    other = UserFactory(display_name="Omar Other", department=department)
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(w.users[role])
        w.clients[role] = client

    now = timezone.now()
    accepted = Stage.objects.get(name_en="Accepted")
    public = IdeaFactory(title="A decided idea", submitter=other, department=department,
                         customer_segment=segment)
    Idea.objects.filter(pk=public.pk).update(stage=accepted, decided_at=now,
                                             first_decided_at=now)
    waiting = IdeaFactory(title="A waiting idea", submitter=other, department=department,
                          customer_segment=segment)
    implemented = IdeaFactory(title="An implemented idea", submitter=other,
                              department=department, customer_segment=segment, metric="csat")
    Idea.objects.filter(pk=implemented.pk).update(
        stage=Stage.objects.get(name_en="Implemented"), decided_at=now, first_decided_at=now)
    comment = Comment.objects.create(idea=public, author=other, body="Great idea.")
    mine = IdeaFactory(title="The employee's idea", submitter=w.users["employee"],
                       department=department, customer_segment=segment)
    invitation = Contributor.objects.create(idea=public, person=w.users["employee"],
                                            invited_by=other)
    for n in range(2):
        Notification.objects.create(recipient=w.users["employee"], verb="tests.message",
                                    params={"title": f"Something happened {n}", "url": "/ideas/"})
    nomination = Nomination.objects.create(nominee=other, nominator=w.users["reviewer"],
                                           department=department, reason="Calls back.")
    today = timezone.localdate()
    term = Term.objects.create(person=w.users["champion"], department=department,
                               starts_on=today - timedelta(30), ends_on=today + timedelta(300))
    from champions.models import PulseQuestion, PulseRound, PulseSurvey

    pulse_round = PulseRound.objects.create(
        survey=PulseSurvey.objects.create(title="Claims", audience="customers"), number=1,
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=5))
    # Asked of everyone: one scale, one choice and one free-text question.
    closeness = PulseSurvey.objects.create(title="Closeness", audience="employees")
    pulse_questions = {kind: PulseQuestion.objects.create(
        survey=closeness, kind=kind, text=f"{kind}?", choices="Yes\nNo",
        sort_order=n).pk for n, kind in enumerate(["nps", "choice", "text"])}
    employee_round = PulseRound.objects.create(
        survey=closeness, number=1, opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=5))
    insight = Insight.objects.create(author=other, department=department,
                                     owner=w.users["champion"],
                                     text="Customers want one number.", respond_by=now)
    module = module_page("basics", title="Who our customers are")
    path = onboarding_path("First week", [(module, 5)])
    archive = NewsletterArchivePage.objects.get()
    issue = archive.add_child(instance=NewsletterIssuePage(
        title="Customer life: draft", slug="fuzz-draft", owner=w.users["champion"],
        live=False))
    issue.save_revision(user=w.users["champion"])

    w.ids = {
        "department": department.pk, "segment": segment.pk, "other": other.pk,
        "public": public.pk, "waiting": waiting.pk, "comment": comment.pk,
        "implemented": implemented.pk, "mine": mine.pk, "invitation": invitation.pk,
        "nomination": nomination.pk, "term": term.pk, "insight": insight.pk,
        "pulse_round": pulse_round.pk, "employee_round": employee_round.pk,
        **{f"pulse_{kind}": pk for kind, pk in pulse_questions.items()},
        "module": module.pk, "path": path.pk,
        "issue": issue.pk, "initial_stage": Stage.objects.get(is_initial=True).pk,
        "triage": Stage.objects.get(name_en="Triage").pk,
        "champion": w.users["champion"].pk, "reviewer": w.users["reviewer"].pk,
        "employee": w.users["employee"].pk,
    }
    return w


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end (its own
    world, smaller than the permission matrix's in conftest.py)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- fingerprints of what a POST may change ----------------------------------------------

def rows(model_path: str, *fields):
    """A fingerprint of a table: its rows' ids and the given fields."""
    from django.apps import apps

    model = apps.get_model(model_path)
    return tuple(model.objects.order_by("pk").values_list("pk", *fields))


def user_state(w, *fields):
    from people.models import User

    return tuple(User.objects.filter(pk=w.users["employee"].pk).values_list(*fields))


# --- what is fuzzed ----------------------------------------------------------------------

@dataclass
class Target:
    name: str
    role: str
    method: str
    path: str  # formatted with World.ids
    params: list[str]
    baseline: Callable[[World], dict] = lambda w: {}
    state: Callable[[World], object] | None = None  # for POSTs
    invariant: Callable[[World], None] | None = None  # must hold after any request

    def __str__(self):
        return self.name


IDEA_EXTRAS = ["page"]
TARGETS = [
    # --- GET: lists, filters, exports --------------------------------------------------
    Target("idea list", "employee", "get", "/ideas/", names(IdeaFilterSet) + IDEA_EXTRAS),
    Target("idea export", "employee", "get", "/ideas/export.csv", names(IdeaFilterSet)),
    Target("review queue", "reviewer", "get", "/ideas/queue/",
           names(QueueFilterSet) + IDEA_EXTRAS),
    Target("similar ideas", "employee", "get", "/ideas/similar/",
           ["title", "problem", "exclude"], lambda w: {"title": "hold", "exclude": "1"}),
    Target("my ideas", "employee", "get", "/ideas/mine/", ["page"]),
    Target("person search", "employee", "get", "/people/search/", names(PersonSearchForm),
           lambda w: {"q": "rui"}),
    Target("dashboard", "programme_admin", "get", "/dashboard/",
           names(DashboardFilterForm) + ["export", "refresh"],
           lambda w: {"start": "2026-01-01", "end": "2026-06-30",
                      "department": w.ids["department"]}),
    Target("onboarding report", "programme_admin", "get", "/onboarding/report/",
           names(ReportFilterForm) + ["format"], lambda w: {"department": w.ids["department"]}),
    Target("onboarding team", "employee", "get", "/onboarding/team/", []),
    Target("notifications", "employee", "get", "/notifications/", ["page"]),
    Target("champion roster", "employee", "get", "/champions/",
           names(RosterFilterForm) + ["page"], lambda w: {"status": "active"}),
    Target("champion coverage", "employee", "get", "/champions/coverage/", []),
    Target("champion profile", "employee", "get", "/champions/people/{champion}/", []),
    Target("nominations", "programme_admin", "get", "/champions/nominations/",
           ["status", "page"], lambda w: {"status": "open"}),
    Target("insights", "champion", "get", "/champions/insights/",
           names(InsightFilterSet) + ["page"]),
    Target("search everything", "employee", "get", "/search/", names(SearchForm),
           lambda w: {"q": "claim", "kind": "ideas"}),
    Target("insight queue", "programme_admin", "get", "/champions/insights/queue/",
           names(InsightQueueForm) + ["page"], lambda w: {"owner": "all"}),
    Target("decided idea chooser", "champion", "get", "/admin/ideas/choose-decided/",
           names(DecidedIdeaFilterForm) + ["p"]),
    Target("decided idea chooser results", "champion", "get",
           "/admin/ideas/choose-decided/results/", names(DecidedIdeaFilterForm) + ["p"]),
    Target("decided idea chosen", "champion", "get",
           "/admin/ideas/choose-decided/chosen-multiple/", ["id"],
           lambda w: {"id": [w.ids["public"]]}),
    Target("newsletter test-send page", "champion", "get",
           "/admin/newsletter-test-send/{issue}/", []),
    Target("newsletter publish confirmation", "programme_admin", "get",
           "/admin/newsletter-publish/{issue}/", names(ConfirmPublishForm)),
    Target("quiz page", "employee", "get", "/onboarding/modules/{module}/quiz/", []),
    Target("profile page", "employee", "get", "/profile/", []),

    # --- POST: forms ---------------------------------------------------------------------
    Target("new idea", "employee", "post", "/ideas/new/", names(IdeaForm) + ["submit"],
           lambda w: {"title": "Call back", "problem": "On hold for forty minutes.",
                      "customer_segment": w.ids["segment"], "delight": "No waiting.",
                      "metric": "ces", "tags": "phone", "submit": "1",
                      "form_token": str(uuid.uuid4())},
           lambda w: (rows("ideas.Idea"), rows("ideas.Attachment"))),
    Target("decide", "programme_admin", "post", "/ideas/{waiting}/decide/",
           names(TransitionForm),
           lambda w: {"to_stage": w.ids["triage"], "expected_stage": w.ids["initial_stage"],
                      "reason": "Looks promising."},
           lambda w: (rows("ideas.Idea", "stage", "duplicate_of"), rows("ideas.Transition"))),
    Target("review panel", "programme_admin", "post", "/ideas/{waiting}/review/",
           names(ReviewForm) + ["then"],
           lambda w: {"to_stage": w.ids["triage"], "expected_stage": w.ids["initial_stage"],
                      "reason": "Looks promising.", "impact": "3", "reach": "4",
                      "confidence": "2", "effort": "5", "assignee": w.ids["reviewer"],
                      "note": "Ask claims.", "then": "next"},
           lambda w: (rows("ideas.Idea", "stage", "assignee", "sponsor"),
                      rows("ideas.Transition"), rows("ideas.Score"),
                      rows("ideas.InternalNote"))),
    Target("score", "reviewer", "post", "/ideas/{waiting}/score/", names(ScoreForm),
           lambda w: {"impact": "3", "reach": "4", "confidence": "2", "effort": "5"},
           lambda w: rows("ideas.Score", "impact", "reach", "confidence", "effort")),
    Target("comment", "employee", "post", "/ideas/{public}/comments/", names(TextForm),
           lambda w: {"body": "Yes please."}, lambda w: rows("ideas.Comment", "body")),
    Target("hide comment", "reviewer", "post", "/ideas/comments/{comment}/hide/",
           names(HideForm), lambda w: {"reason": "Personal data."},
           lambda w: rows("ideas.Comment", "hidden_at", "hidden_reason")),
    Target("assign one", "programme_admin", "post", "/ideas/{waiting}/assign/",
           names(AssignForm), lambda w: {"assignee": w.ids["reviewer"]},
           lambda w: rows("ideas.Idea", "assignee")),
    Target("sponsor", "programme_admin", "post", "/ideas/{public}/sponsor/",
           names(SponsorForm), lambda w: {"sponsor": w.ids["champion"]},
           lambda w: rows("ideas.Idea", "sponsor")),
    Target("bulk assign", "reviewer", "post", "/ideas/queue/",
           names(AssignForm) + names(QueueFilterSet),
           lambda w: {"ideas": [w.ids["waiting"]], "assignee": w.ids["reviewer"]},
           lambda w: rows("ideas.Idea", "assignee")),
    Target("measured impact", "programme_admin", "post", "/ideas/{implemented}/impact/",
           names(ImpactForm),
           lambda w: {"unit": "score", "baseline": "3.4", "target": "4", "measured": "4.2",
                      "measured_on": "2026-11-20", "method": "Survey", "evidence": ""},
           lambda w: rows("ideas.ImpactMeasurement", "unit", "baseline", "target",
                          "measured", "measured_on", "method", "evidence")),
    Target("invite co-author", "employee", "post", "/ideas/{mine}/coauthors/",
           names(CoauthorInviteForm), lambda w: {"person": w.ids["reviewer"]},
           lambda w: rows("ideas.Contributor", "person", "status")),
    Target("answer invitation", "employee", "post", "/ideas/coauthors/{invitation}/answer/",
           names(CoauthorAnswerForm), lambda w: {"answer": "accept"},
           lambda w: rows("ideas.Contributor", "person", "status")),
    Target("thank contributors", "reviewer", "post", "/ideas/{public}/thanks/",
           names(ThankYouForm), lambda w: {"body": "Thank you for this."},
           lambda w: rows("ideas.ThankYou", "body")),
    Target("bulk decide", "reviewer", "post", "/ideas/queue/",
           names(BulkDecideForm) + ["action"],
           lambda w: {"action": "move", "ideas": [w.ids["waiting"]],
                      "to_stage": w.ids["triage"], "reason": "Worth a look"},
           lambda w: rows("ideas.Idea", "stage") + rows("ideas.Transition")),
    Target("enrol", "programme_admin", "post", "/onboarding/enrol/", names(EnrolForm),
           lambda w: {"users": [w.ids["employee"]], "path": w.ids["path"],
                      "due_on": "2026-12-01"},
           lambda w: rows("training.Enrolment", "due_on")),
    Target("quiz", "employee", "post", "/onboarding/modules/{module}/quiz/",
           ["attempt_token"],
           lambda w: as_post(right_answers("basics")),
           lambda w: rows("training.QuizAttempt")),
    Target("notifications read", "employee", "post", "/notifications/read/",
           names(NotificationReadForm) + ["next"], lambda w: {"next": "/notifications/"},
           lambda w: rows("notifications.Notification", "read_at")),
    Target("notification settings", "employee", "post", "/notifications/settings/",
           names(NotificationSettingsForm),
           lambda w: {"email_delivery": "daily", "email_topics": ["ideas", "review"]},
           lambda w: user_state(w, "email_delivery", "email_muted_topics")),
    Target("profile", "employee", "post", "/profile/", names(ProfileForm),
           lambda w: {"display_name": "Erin", "department": w.ids["department"],
                      "preferred_language": "en", "start_date": "2026-01-05"},
           lambda w: user_state(w, "display_name", "department", "job_title", "start_date",
                                "manager", "preferred_language")),
    Target("nominate", "employee", "post", "/champions/nominate/", names(NominationForm),
           lambda w: {"nominee": w.ids["reviewer"], "department": w.ids["department"],
                      "reason": "Calls customers back."},
           lambda w: rows("champions.Nomination", "status")),
    Target("decide nomination", "programme_admin", "post",
           "/champions/nominations/{nomination}/decide/", names(DecisionForm) + ["decision"],
           lambda w: {"decision": "approve", "reason": "Yes."},
           lambda w: (rows("champions.Nomination", "status"), rows("champions.Term"))),
    Target("insight", "champion", "post", "/champions/insights/", names(InsightForm),
           lambda w: {"text": "Customers want one number.", "sentiment": "neutral",
                      "idea_number": w.ids["public"], "tags": "phone"},
           lambda w: rows("champions.Insight")),
    Target("make pulse links", "programme_admin", "post",
           "/champions/pulse/{pulse_round}/links/", names(PulseLinksForm),
           lambda w: {"count": "3"}, lambda w: rows("champions.PulseLink")),
    # Its fields are named after the survey's questions: formatted with the world's ids.
    Target("answer pulse", "employee", "post", "/champions/pulse/{employee_round}/",
           ["q{pulse_nps}", "q{pulse_choice}", "q{pulse_text}"],
           lambda w: {f"q{w.ids['pulse_nps']}": "9", f"q{w.ids['pulse_choice']}": "Yes",
                      f"q{w.ids['pulse_text']}": "They want a call back."},
           lambda w: (rows("champions.PulseResponse"), rows("champions.PulseAnswer"))),
    Target("answer insight", "champion", "post", "/champions/insights/{insight}/",
           names(InsightAnswerForm),
           lambda w: {"status": "acted_on", "note": "Called the customer back."},
           lambda w: (rows("champions.Insight", "status", "responded_at"),
                      rows("champions.InsightUpdate"))),
    # The form is prefixed (it shares the page with the answer form); the bare names
    # are listed too so the coverage check sees the form's fields.
    Target("hand over insight", "champion", "post", "/champions/insights/{insight}/reassign/",
           ["reassign-owner", "reassign-note", *names(InsightReassignForm)],
           lambda w: {"reassign-owner": w.ids["reviewer"], "reassign-note": "Yours."},
           lambda w: (rows("champions.Insight", "owner"), rows("champions.InsightUpdate"))),
    Target("handover", "champion", "post", "/champions/terms/{term}/handover/",
           names(HandoverForm),
           lambda w: {"successor": w.ids["reviewer"], "note": "Call Mrs K back."},
           lambda w: (rows("champions.Term", "ended_on", "successor", "handover_note"),
                      rows("champions.Nomination"))),
    Target("term action", "programme_admin", "post", "/champions/terms/{term}/",
           ["action", "reason"], lambda w: {"action": "end", "reason": "Moved on."},
           lambda w: rows("champions.Term", "ended_on", "ends_on")),
    Target("newsletter subscription", "employee", "post", "/subscriptions/", ["subscribe"],
           lambda w: {"subscribe": "1"}, lambda w: rows("newsletter.Unsubscription")),
    Target("language", "employee", "post", "/i18n/setlang/", ["language", "next"],
           lambda w: {"language": "fa", "next": "/"}),
]


def signup_invariant(w):
    """Every account's e-mail is the address it verifies (issue 12, item 8: a 300-char
    address was cut to 254 on the user and kept whole on the address to verify)."""
    from allauth.account.models import EmailAddress

    from people.models import User

    addresses = set(EmailAddress.objects.values_list("user_id", "email"))
    for pk, email in User.objects.values_list("pk", "email"):
        assert (pk, email) in addresses or not EmailAddress.objects.filter(user_id=pk).exists()


TARGETS.append(Target(
    "sign-up", "anonymous", "post", "/accounts/signup/", ["email", "password1", "password2"],
    lambda w: {"email": "new.person@example.com", "password1": "a-long-passphrase-2026",
               "password2": "a-long-passphrase-2026"},
    invariant=signup_invariant))


def request(client, method, path, data):
    # Messages left in the cookie by an earlier example would count as this one's.
    client.cookies.pop("messages", None)
    return getattr(client, method)(path, data)


def messages_of(response) -> list:
    """The messages this request added (queued, or already shown on its page)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    if storage is None:
        return []
    return [*storage._loaded_messages, *storage._queued_messages]


def refused(response) -> bool:
    """A 4xx, or an error message (views that redirect back with one)."""
    return response.status_code >= 400 or any(
        m.level >= messages.ERROR for m in messages_of(response))


def describe(target, path, data, response) -> str:
    shown = {k: (v[:80] + "…" if isinstance(v, str) and len(v) > 80 else v)
             for k, v in data.items()}
    return f"{target.method.upper()} {path} as {target.role}: {response.status_code} {shown!r}"


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_no_input_gives_a_server_error_and_refusals_change_nothing(fuzz_world, target):
    world = fuzz_world
    client = world.clients[target.role]
    path = target.path.format(**world.ids)
    baseline = target.baseline(world)
    params = {name.format(**world.ids) for name in target.params} | set(baseline)

    @hypothesis_settings(FUZZ, max_examples=max(6, PER_PARAM * len(params)))
    @given(data=request_data(params, baseline))
    def fuzz(data):
        with rolled_back():
            before = target.state(world) if target.state else None
            response = request(client, target.method, path, data)
            event(f"status {response.status_code}")  # --hypothesis-show-statistics
            assert response.status_code < 500, describe(target, path, data, response)
            if target.state and refused(response):
                assert target.state(world) == before, (
                    "refused but changed: " + describe(target, path, data, response))
            if target.invariant:
                target.invariant(world)

    for data in explicit_examples(params, baseline):
        fuzz = example(data=data)(fuzz)
    fuzz()


def test_every_form_and_filter_of_the_intranet_is_fuzzed():
    """A new form or filterset in the intranet's packages must join TARGETS (its fields
    are then taken from it automatically)."""
    import importlib
    import importlib.util

    import django_filters

    fuzzed = {name for t in TARGETS for name in t.params}
    # Every app's forms, filters and views modules, found rather than listed, so a new
    # app's forms are fuzzed (or this test says which are not).
    modules = [importlib.import_module(f"{package}.{module}")
               for package in ("portal", "people", "notifications", "shared", "ideas",
                               "champions", "training", "newsletter")
               for module in ("forms", "filters", "views", "chooser", "dashboard")
               if importlib.util.find_spec(f"{package}.{module}")]
    # Forms the intranet's pages never post (Wagtail's user forms, the parsing base).
    not_pages = {"WagtailUserEditForm", "WagtailUserCreationForm", "DateRangeForm",
                 "BaseFilterForm",
                 # Its token is the URL path (tests/newsletter/test_unsubscribe.py).
                 "UnsubscribeForm"}
    missing = []
    for module in modules:
        for name, obj in vars(module).items():
            if (not isinstance(obj, type) or obj.__module__ != module.__name__
                    or name in not_pages):
                continue
            if issubclass(obj, forms.BaseForm | django_filters.FilterSet):
                unfuzzed = set(names(obj)) - fuzzed
                if unfuzzed:
                    missing.append(f"{module.__name__}.{name}: {sorted(unfuzzed)}")
    assert not missing


# --- ids in URLs -------------------------------------------------------------------------

# Ids the <id:...> converter passes to the view (the largest), refuses (0, one too many)
# or never matches (more digits, a superscript digit).
URL_VALUES = [str(MAX_ID), str(MAX_ID + 1), "0", "9" * 25, quote("²")]
OUR_APPS = {"portal", "ideas", "champions", "training"}


def our_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from our_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            if module.split(".")[0] in OUR_APPS and entry.pattern.converters:
                yield prefix + str(entry.pattern)


def fill(route: str, value: str) -> str:
    import re

    return "/" + re.sub(r"<(?:\w+:)?\w+>", value, route).lstrip("^").rstrip("$")


def test_url_ids_never_fail(fuzz_world):
    world = fuzz_world
    routes = sorted(set(our_routes()))
    assert len(routes) > 20
    failures = []
    # A programme admin gets furthest into every view (admin access, every permission).
    for role in ("programme_admin",):
        client = world.clients[role]
        for route in routes:
            for value in URL_VALUES:
                path = fill(route, value)
                for method in ("get", "post"):
                    with rolled_back():
                        response = getattr(client, method)(path)
                    if response.status_code >= 500:
                        failures.append(f"{method.upper()} {path} as {role}: "
                                        f"{response.status_code}")
    assert not failures


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_the_valid_request_each_example_starts_from_is_accepted(fuzz_world, target):
    """Otherwise every example is refused at the first field and the fuzzing never
    reaches the code behind a valid form."""
    world = fuzz_world
    client = world.clients[target.role]
    path = target.path.format(**world.ids)
    data = target.baseline(world)
    with rolled_back():
        response = request(client, target.method, path, data)
        form = (response.context or {}).get("form") if response.status_code == 400 else None
        assert not refused(response), (response.status_code,
                                       [str(m) for m in messages_of(response)],
                                       form.errors if form else response.content[:300])
