"""Helpers for the accessibility and keyboard browser tests.

axe-core comes from the pinned `axe-playwright-python` package (dev extras), which ships
axe.min.js: no CDN and no Node. The site's Content-Security-Policy forbids inline
scripts, so contexts that inject axe are made with bypass_csp=True."""

import functools
import importlib.resources

from django.conf import settings
from django.test import Client

# The WCAG 2.2 AA success criteria axe-core can test (A and AA of 2.0, 2.1 and 2.2), and
# axe's best practices (one main landmark, all content in landmarks, heading order...),
# which the site meets too and should keep meeting.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_TAGS = [*WCAG_TAGS, "best-practice"]


@functools.cache
def axe_source() -> str:
    return importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(
        encoding="utf-8")


def axe_version(page) -> str:
    return page.evaluate("() => window.axe && window.axe.version")


def run_axe(page, tags=AXE_TAGS) -> dict:
    """Run axe-core on the page as it is now; returns axe's results object."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        tags,
    )


def overflowing_outside_tables(page) -> list[str]:
    """Elements of the page that stick out sideways, other than data tables (which WCAG
    1.4.10 Reflow exempts: they need two dimensions)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.body.querySelectorAll('*')]
            .filter((el) => !el.closest('table') && !el.closest('.visually-hidden, .skip-link'))
            .filter((el) => {
                const box = el.getBoundingClientRect();
                return box.width > 0 && (box.right > width + 1 || box.left < -1);
            })
            .slice(0, 10)
            .map((el) => el.outerHTML.slice(0, 120));
    }""")


def describe_violations(violations: list[dict]) -> str:
    """One readable block per violation: rule, impact, help, link and each node."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
                     f"\n  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}\n      {node['html'][:200]}\n      {summary}")
    return "\n".join(lines)


def sign_in_by_cookie(context, base_url: str, person) -> None:
    """Sign `person` in without the login form: a session made by Client.force_login,
    its cookie copied into the browser context."""
    client = Client()
    client.force_login(person)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_id,
                          "url": base_url}])


def switch_language(page, code: str) -> None:
    """Change the language the way a person does: the footer's language switcher."""
    footer = page.locator("footer.site-footer")
    footer.get_by_role("combobox").select_option(code)
    footer.get_by_role("button").click()
    page.wait_for_function("(code) => document.documentElement.lang === code", arg=code)


def focused(page) -> dict:
    """What has keyboard focus now, and whether the focus indicator is drawn."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {
            tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
            type: el.getAttribute('type'), text: (el.innerText || el.value || '').trim(),
            focusVisible: el.matches(':focus-visible'),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        };
    }""")


def is_focused(locator) -> bool:
    return locator.evaluate("(el) => el === document.activeElement")


def tab_to(page, locator, *, backwards=False, limit=80) -> int:
    """Press Tab (or Shift+Tab) until `locator` has focus; returns how many presses.
    Fails if it is never reached: that element cannot be reached by keyboard."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if is_focused(locator):
            return presses
    raise AssertionError(f"{locator} never got focus after {limit} presses of {key}; "
                         f"focus is on {focused(page)}")


def assert_focus_visible(page) -> None:
    state = focused(page)
    assert state["focusVisible"] and state["outline"], f"no visible focus indicator: {state}"
