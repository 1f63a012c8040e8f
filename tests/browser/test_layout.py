"""No sideways scrolling: every main page fits a desktop (1,280px), a tablet (768px) and a
phone (375px) window, in English, Thai and Persian (right to left). Data tables turn
into stacked cards on narrow screens, so even they must fit.

One browser context per person and language; each page is loaded once per language
and measured at the three widths by resizing the window."""

import pytest

from people.models import User

from .a11y import sign_in_by_cookie, switch_language
from .test_accessibility import PAGES, demo_data  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1280, 768, 375]

# What sticks out past the window's edge (either edge: right-to-left pages overflow to
# the left), innermost first, so the message names the culprit rather than its parents.
OVERFLOW = """() => {
    const width = window.innerWidth;
    const root = document.documentElement;
    const describe = (el) => {
        const classes = el.classList.length ? '.' + [...el.classList].join('.') : '';
        const box = el.getBoundingClientRect();
        return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}> `
            + `${Math.round(box.left)}..${Math.round(box.right)}px `
            + JSON.stringify((el.textContent || '').trim().slice(0, 40));
    };
    const culprits = [...document.body.querySelectorAll('*')]
        .filter((el) => !el.closest('.visually-hidden, .skip-link'))
        .filter((el) => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && (box.right > width + 1 || box.left < -1);
        })
        .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)));
    return {scrollWidth: root.scrollWidth, innerWidth: width,
            culprits: culprits.slice(0, 5).map(describe)};
}"""


def measure(page, url: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        result = page.evaluate(OVERFLOW)
        if result["scrollWidth"] > result["innerWidth"]:
            problems.append(
                f"{url} at {width}px is {result['scrollWidth']}px wide; sticking out: "
                + "; ".join(result["culprits"] or ["(nothing found)"]))
    return problems


@pytest.mark.parametrize("language", ["en", "th", "fa"])
def test_every_main_page_fits_the_window(live_server, browser, demo_data,  # noqa: F811
                                         language):
    contexts, problems = {}, []
    try:
        for name, (who, address) in PAGES.items():
            if who not in contexts:
                context = browser.new_context(locale="en-GB")
                if who:
                    sign_in_by_cookie(context, live_server.url, User.objects.get(email=who))
                page = context.new_page()
                page.set_default_timeout(15_000)
                contexts[who] = (context, page, False)
            context, page, switched = contexts[who]
            url = live_server.url + (address() if callable(address) else address)
            response = page.goto(url)
            assert response.ok, f"{name}: {url} answered {response.status}"
            if language != "en" and not switched:
                switch_language(page, language)
                contexts[who] = (context, page, True)
            assert page.evaluate("() => document.documentElement.lang") == language
            problems += [f"{name}: {problem}" for problem in measure(page, url)]
    finally:
        for context, _, _ in contexts.values():
            context.close()
    assert not problems, f"pages wider than the window ({language}):\n" + "\n".join(problems)


def test_the_queue_filters_fold_away_on_a_phone(live_server, browser, demo_data):  # noqa: F811
    """On a phone the review queue starts with the ideas, not eleven filter fields: the
    filters are a closed disclosure unless some are applied; wide windows show them."""
    who, address = PAGES["triage-queue"]
    context = browser.new_context(locale="en-GB", viewport={"width": 375, "height": 800})
    try:
        sign_in_by_cookie(context, live_server.url, User.objects.get(email=who))
        page = context.new_page()
        filters = page.locator("details.filters-disclosure")
        page.goto(live_server.url + address)
        assert not filters.evaluate("(el) => el.open")
        assert page.locator("main table tbody tr").first.is_visible()
        page.goto(live_server.url + address + "?overdue=on")
        assert filters.evaluate("(el) => el.open"), "applied filters are shown"
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(live_server.url + address)
        assert filters.evaluate("(el) => el.open"), "wide windows show the filters"
    finally:
        context.close()
