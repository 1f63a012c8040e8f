"""WCAG 2.2 AA: every main page passes axe-core with zero violations, in English, Thai and
Persian (right to left), at desktop width and at 320px (where it must also reflow).

The data is the demo data (`seed_demo`, written through the real services): ideas with
comments, decisions and Thai/Persian text, champion terms and coverage, onboarding
modules whose lessons use every block type, quizzes, and published newsletter issues.
Each page is opened as the person who normally uses it; Persian is chosen with the
footer's language switcher, as a person would."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from ideas.models import Idea, Stage
from newsletter.models import NewsletterArchivePage, NewsletterIssuePage
from people.models import User
from training.models import LessonPage, ModulePage

from .a11y import (
    axe_version,
    describe_violations,
    overflowing_outside_tables,
    run_axe,
    sign_in_by_cookie,
    switch_language,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMPLOYEE = "employee@example.com"
REVIEWER = "reviewer@example.com"
NEW_HIRE = "newhire@example.com"
ADMIN = "admin@example.com"


def idea_under_review() -> str:
    """A public idea with comments that the reviewer may decide on."""
    reviewer = User.objects.get(email=REVIEWER)
    idea = (Idea.objects.filter(status=Idea.Status.SUBMITTED, confidential=False)
            .exclude(submitter=reviewer).exclude(stage__kind__in=Stage.CLOSED_KINDS)
            .annotate(n=Count("comments")).filter(n__gt=0).order_by("-n", "pk").first())
    assert idea is not None, "the demo data has no open idea with comments"
    return reverse("ideas:detail", args=[idea.pk])


def lesson() -> str:
    """The demo lesson with the most kinds of blocks (persona, maps, quote...)."""
    lessons = LessonPage.objects.live().specific()
    return max(lessons, key=lambda p: len({b.block_type for b in p.body})).url


def quiz() -> str:
    module = next(m for m in ModulePage.objects.live().order_by("path") if m.quiz)
    return reverse("training:quiz", args=[module.pk])


def newsletter_archive() -> str:
    return NewsletterArchivePage.objects.live().get().url


def newsletter_issue() -> str:
    issues = NewsletterIssuePage.objects.live().order_by("-first_published_at")
    return issues.first().url


def campaign() -> str:
    from ideas.models import CampaignPage

    return CampaignPage.objects.live().order_by("pk").first().url


def credited_profile() -> str:
    """The demo employee's profile: a co-authored idea, its impact and thanks."""
    return reverse("champions:profile", args=[User.objects.get(email=EMPLOYEE).pk])


def answered_insight() -> str:
    """A demo insight with an answer and its history."""
    from champions.models import Insight

    insight = Insight.objects.filter(updates__note__gt="").order_by("pk").first()
    return reverse("champions:insight", args=[insight.pk])


def retirees() -> str:
    """The demo persona with quotes, a journey map, ideas and insights."""
    from people.models import CustomerSegment

    return reverse("champions:customer", args=[
        CustomerSegment.objects.get(name_en="Retirees managing claims").pk])


def customer_link() -> str:
    """A customer's single-use pulse link (the demo sends none, so one is made here)."""
    from champions.models import PulseQuestion, PulseRound, PulseSurvey
    from champions.services import pulse_links_create, pulse_open_due_rounds

    survey = PulseSurvey.objects.create(title="How was your claim?", audience="customers")
    PulseQuestion.objects.create(survey=survey, kind="nps", sort_order=0,
                                 text="How likely are you to recommend us?")
    pulse_open_due_rounds()
    [link] = pulse_links_create(pulse_round=PulseRound.objects.get(survey=survey),
                                actor=User.objects.get(email=ADMIN), count=1)
    return reverse("pulse_public", args=[link.token])


def pulse_round() -> str:
    from champions.models import PulseRound

    return reverse("champions:pulse_answer", args=[
        PulseRound.objects.get(survey__audience="employees").pk])


def pulse_results() -> str:
    from champions.models import PulseRound

    return reverse("champions:pulse_results", args=[
        PulseRound.objects.get(survey__audience="employees").pk])


# page name -> (who opens it, its address: a path or a function of the data)
PAGES = {
    "home": (EMPLOYEE, "/"),
    "idea-list": (EMPLOYEE, "/ideas/"),
    "idea-detail": (REVIEWER, idea_under_review),
    "idea-form": (EMPLOYEE, "/ideas/new/"),
    "triage-queue": (REVIEWER, "/ideas/queue/"),
    "roster": (EMPLOYEE, "/champions/"),
    "coverage": (EMPLOYEE, "/champions/coverage/"),
    "my-onboarding": (NEW_HIRE, "/onboarding/"),
    "lesson": (NEW_HIRE, lesson),
    "quiz": (NEW_HIRE, quiz),
    "newsletter-archive": (EMPLOYEE, newsletter_archive),
    "newsletter-issue": (EMPLOYEE, newsletter_issue),
    "programme-dashboard": (ADMIN, "/dashboard/"),
    "profile": (EMPLOYEE, "/profile/"),
    "login": (None, "/accounts/login/"),
    # Not in the list of main pages, but one click away from every page.
    "my-ideas": (EMPLOYEE, "/ideas/mine/"),
    "notifications": (EMPLOYEE, "/notifications/"),
    "campaigns": (EMPLOYEE, "/campaigns/"),
    "campaign": (EMPLOYEE, campaign),
    "recognition": (EMPLOYEE, "/ideas/recognition/"),
    "person-profile": (REVIEWER, credited_profile),
    "insight": (ADMIN, answered_insight),
    "insights-to-answer": (ADMIN, "/champions/insights/queue/?owner=all"),
    "pulse-surveys": (ADMIN, "/champions/pulse/"),
    "pulse-answer": (EMPLOYEE, pulse_round),
    "pulse-results": (ADMIN, pulse_results),
    "customers": (EMPLOYEE, "/champions/customers/"),
    "search": (EMPLOYEE, "/search/?q=claim"),
    "idea-search": (EMPLOYEE, "/ideas/?q=claim"),
    "customer": (EMPLOYEE, retirees),
}


@pytest.fixture
def demo_data():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def axe_page(browser):
    # The site's CSP allows no inline script; axe is injected as one.
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def check(page, url: str, language: str) -> None:
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert page.url == url, f"{url} redirected to {page.url}"
    if language != "en":
        switch_language(page, language)
        assert page.url == url, f"the language switcher went to {page.url}, not back to {url}"
    assert page.evaluate("() => document.documentElement.lang") == language
    expected_dir = "rtl" if language == "fa" else "ltr"
    assert page.evaluate("() => document.documentElement.dir") == expected_dir
    violations = run_axe(page)["violations"]
    assert not violations, (
        f"axe-core {axe_version(page)} found {len(violations)} violation(s) "
        f"of WCAG 2.2 A/AA or best practice on {url} ({language}):\n"
        f"{describe_violations(violations)}")

    # Reflow (1.4.10): at 320 CSS pixels (1280px zoomed to 400%) nothing but a data table
    # may need sideways scrolling; axe runs again on the narrow layout (target sizes...).
    page.set_viewport_size({"width": 320, "height": 640})
    assert not overflowing_outside_tables(page), (
        f"{url} ({language}) does not reflow at 320px:\n"
        + "\n".join(overflowing_outside_tables(page)))
    violations = run_axe(page)["violations"]
    assert not violations, (
        f"at 320px wide, {url} ({language}) has violations:\n"
        f"{describe_violations(violations)}")


@pytest.mark.parametrize("language", ["en", "th", "fa"])
def test_a_customers_pulse_page_in_their_browsers_language(live_server, browser, demo_data,
                                                            language):
    """A customer has no intranet language setting: the page follows their browser
    (Accept-Language), with no switcher (it would need a cookie)."""
    context = browser.new_context(locale=language, bypass_csp=True)
    page = context.new_page()
    try:
        url = live_server.url + customer_link()
        assert page.goto(url).ok
        assert page.evaluate("() => document.documentElement.lang") == language
        assert page.evaluate("() => document.documentElement.dir") == (
            "rtl" if language == "fa" else "ltr")
        violations = run_axe(page)["violations"]
        assert not violations, describe_violations(violations)
        assert context.cookies() == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "th", "fa"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_wcag_violations(live_server, axe_page, demo_data, name, language):
    who, address = PAGES[name]
    if who:
        sign_in_by_cookie(axe_page.context, live_server.url, User.objects.get(email=who))
    path = address() if callable(address) else address
    check(axe_page, live_server.url + path, language)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_idea_form_with_errors_has_no_wcag_violations(live_server, axe_page, demo_data,
                                                      language):
    """Errors are where forms usually fail: the form sent empty, then checked."""
    sign_in_by_cookie(axe_page.context, live_server.url, User.objects.get(email=EMPLOYEE))
    axe_page.goto(live_server.url + "/ideas/new/")
    if language != "en":
        switch_language(axe_page, language)
    axe_page.locator("main form button[type=submit][name=submit]").click()
    axe_page.locator(".field--error").first.wait_for()
    violations = run_axe(axe_page)["violations"]
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_quiz_result_has_no_wcag_violations(live_server, axe_page, demo_data, language):
    """The quiz after an attempt: score, right/wrong marks and explanations."""
    sign_in_by_cookie(axe_page.context, live_server.url, User.objects.get(email=NEW_HIRE))
    axe_page.goto(live_server.url + quiz())
    if language != "en":
        switch_language(axe_page, language)
    quiz_form = axe_page.locator("main form.quiz")
    for question in quiz_form.locator("fieldset").all():
        question.locator("input").first.check()  # some right, some wrong
    quiz_form.locator("button[type=submit]").click()
    axe_page.locator("main .message[role=status]").wait_for()
    assert axe_page.locator("main .quiz__right, main .quiz__wrong").count()
    violations = run_axe(axe_page)["violations"]
    assert not violations, describe_violations(violations)
