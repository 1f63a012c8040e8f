"""Keyboard-only use of the main flows: submit an idea, decide on an idea, take a quiz.

Nothing here clicks or fills: every step is a key press (Tab, Shift+Tab, Enter, Space,
arrow keys, typing) through page.keyboard, and at every stop the focused element must
show a visible focus indicator (:focus-visible with an outline)."""

import pytest

from ideas.models import Idea, Transition
from people import roles
from tests.factories import UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory
from tests.training.factories import module_page
from training.models import QuizAttempt

from .a11y import assert_focus_visible, focused, is_focused, sign_in_by_cookie, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def main_form(page, action: str | None = None):
    main = page.locator("main")
    return main.locator(f"form[action='{action}']") if action else main.locator("form")


def skip_to_main(page) -> None:
    """The first Tab on a page reaches the skip link; Enter on it moves focus to main."""
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert is_focused(skip), f"the first Tab should reach the skip link, not {focused(page)}"
    assert_focus_visible(page)
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0, "skip link not shown on focus"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")


def choose_option(page, select, label: str, *, limit=30) -> None:
    """Move through a focused <select> with the arrow keys until `label` is chosen."""
    assert is_focused(select)
    for _ in range(limit):
        if select.evaluate("(el) => el.selectedOptions[0]?.text.trim()") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {label!r} not reachable with ArrowDown")


def test_submit_an_idea_with_the_keyboard_only(live_server, page):
    CustomerSegmentFactory(name="Retirees managing claims")
    person = UserFactory(display_name="Keyboard Kim")
    sign_in_by_cookie(page.context, live_server.url, person)
    page.goto(live_server.url + "/ideas/new/")

    skip_to_main(page)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)"
                         ), "after the skip link, Tab should stay in the main content"

    form = main_form(page)
    title = form.get_by_label("Title")
    tab_to(page, title)
    assert_focus_visible(page)
    page.keyboard.type("Call retirees back instead of keeping them on hold")

    tab_to(page, form.get_by_label("What customers experience today"))
    assert_focus_visible(page)
    page.keyboard.type("Retirees wait on hold for forty minutes to report a claim.")

    # Shift+Tab goes back to the title, Tab forward again to the problem.
    page.keyboard.press("Shift+Tab")
    assert is_focused(title), focused(page)
    page.keyboard.press("Tab")

    segment = form.get_by_label("Which customer is affected")
    tab_to(page, segment)
    assert_focus_visible(page)
    choose_option(page, segment, "Retirees managing claims")

    tab_to(page, form.get_by_label("Why it will delight them"))
    page.keyboard.type("They are called back at a time that suits them.")

    metric = form.get_by_label("Customer metric it should move")
    tab_to(page, metric)
    assert_focus_visible(page)
    choose_option(page, metric, "First-contact resolution")

    # The optional 5 whys open with the keyboard (Space on the summary).
    summary = form.locator("details.whys > summary")
    tab_to(page, summary)
    assert_focus_visible(page)
    page.keyboard.press("Space")
    assert form.locator("details.whys").evaluate("(el) => el.open")
    tab_to(page, form.locator("[name=why_1]"))
    page.keyboard.type("Every claim needs a person on the phone.")

    submit = form.get_by_role("button", name="Submit idea")
    tab_to(page, submit)
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    page.get_by_text("Your idea was submitted").wait_for()
    idea = Idea.objects.get(submitter=person)
    assert idea.status == Idea.Status.SUBMITTED
    assert idea.customer_segment.name == "Retirees managing claims"
    assert idea.metric == "fcr"
    assert idea.whys == ["Every claim needs a person on the phone."]


def test_decide_on_an_idea_with_the_keyboard_only(live_server, page):
    reviewer = UserFactory(display_name="Rui Reviewer", roles=[roles.REVIEWER])
    idea = IdeaFactory(title="Text customers when the adjuster is on the way")
    sign_in_by_cookie(page.context, live_server.url, reviewer)
    page.goto(live_server.url + f"/ideas/{idea.pk}/")
    skip_to_main(page)

    form = main_form(page, f"/ideas/{idea.pk}/review/")
    stage = form.get_by_label("Move to")
    tab_to(page, stage)
    assert_focus_visible(page)
    choose_option(page, stage, "Declined")

    reason = form.get_by_label("Reason (the submitter reads this)")
    tab_to(page, reason)
    assert_focus_visible(page)
    page.keyboard.type("We already text customers from the adjuster's app.")

    move = form.get_by_role("button", name="Save review")
    tab_to(page, move)
    assert_focus_visible(page)
    page.keyboard.press("Space")  # buttons activate with Space as well as Enter

    page.get_by_text("Moved to Declined").wait_for()
    transition = Transition.objects.get(idea=idea)
    assert transition.to_stage.name == "Declined"
    assert transition.actor == reviewer
    assert transition.reason == "We already text customers from the adjuster's app."


def test_take_a_quiz_with_the_keyboard_only(live_server, page):
    module = module_page("keys", title="Who our customers are")
    person = UserFactory(display_name="Nasrin New hire", roles=[roles.NEW_HIRE])
    sign_in_by_cookie(page.context, live_server.url, person)
    page.goto(live_server.url + f"/onboarding/modules/{module.pk}/quiz/")
    skip_to_main(page)
    quiz = page.locator("main form.quiz")

    def choice(cid):
        return quiz.locator(f"#c-{cid}")

    # Question 1 (one answer): Tab enters the radio group on its first choice; the arrow
    # keys move and choose within the group.
    tab_to(page, choice("keys-single-a"))
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")
    assert is_focused(choice("keys-single-b")) and choice("keys-single-b").is_checked()
    page.keyboard.press("ArrowUp")
    assert is_focused(choice("keys-single-a")) and choice("keys-single-a").is_checked()

    # Question 2 (several answers): one Tab stop per checkbox, Space ticks it.
    page.keyboard.press("Tab")
    assert is_focused(choice("keys-multi-a")), focused(page)
    assert_focus_visible(page)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert is_focused(choice("keys-multi-b")), focused(page)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert is_focused(choice("keys-multi-c")), focused(page)

    # Question 3 (true/false): the right answer is the second choice.
    page.keyboard.press("Tab")
    assert is_focused(choice("keys-tf-true")), focused(page)
    page.keyboard.press("ArrowDown")
    assert choice("keys-tf-false").is_checked()

    # Shift+Tab leaves the group backwards, onto the last checkbox.
    page.keyboard.press("Shift+Tab")
    assert is_focused(choice("keys-multi-c")), focused(page)
    assert_focus_visible(page)

    submit = quiz.get_by_role("button", name="Submit answers")
    tab_to(page, submit)
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    page.get_by_text("You scored 100%").wait_for()
    assert QuizAttempt.objects.get(user=person, module=module).passed


def test_triage_the_queue_with_shortcuts_and_bulk_decide(live_server, page):
    """j/k move between ideas, x selects, the bulk toolbar moves the selection; shortcuts
    can be switched off and stay off."""
    reviewer = UserFactory(display_name="Queue Quinn", roles=[roles.REVIEWER])
    first, second, third = (IdeaFactory(title=t) for t in ("First waiting", "Second waiting",
                                                             "Third waiting"))
    sign_in_by_cookie(page.context, live_server.url, reviewer)
    page.goto(live_server.url + "/ideas/queue/")
    titles = page.locator("[data-queue] tbody th a")
    page.keyboard.press("j")
    assert is_focused(titles.nth(0))
    assert_focus_visible(page)
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert is_focused(titles.nth(2))
    page.keyboard.press("x")
    page.keyboard.press("k")
    assert is_focused(titles.nth(1))
    checked = page.locator("[data-queue] input[type=checkbox]:checked")
    assert checked.count() == 2

    # The bulk toolbar, by keyboard: the stage select, then the button.
    stage = page.locator("#bulk_to_stage")
    stage.focus()
    choose_option(page, stage, "Triage")
    page.keyboard.press("Tab")  # the reason
    page.keyboard.type("Both worth a look")
    page.locator("button[name=action][value=move]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "2 ideas moved to “Triage”" in page.locator("main").inner_text()
    moved = set(Transition.objects.filter(to_stage__name_en="Triage")
                .values_list("idea__title", flat=True))
    assert moved == {"First waiting", "Third waiting"}

    # ? opens the shortcut list; switching them off makes j do nothing, after a reload too.
    page.keyboard.press("?")
    dialog = page.locator("#shortcuts-dialog")
    assert dialog.is_visible()
    dialog.locator("input[type=checkbox]").press("Space")
    page.keyboard.press("Escape")
    page.reload()
    page.keyboard.press("j")
    assert not is_focused(page.locator("[data-queue] tbody th a").nth(0))
    assert {first.pk, second.pk, third.pk} == set(Idea.objects.values_list("pk", flat=True))
