"""The interactive API docs render in a real browser under the site's strict CSP (no
inline scripts, nothing from a CDN). Run with -m browser."""

import os

import pytest

from tests import chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_docs_render_under_the_csp(live_server):
    if not os.path.exists(chromium.PATH):
        pytest.fail(f"Debian's chromium is needed for browser tests (looked at {chromium.PATH})")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    errors, outside = [], []
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: None if r.url.startswith(live_server.url)
                else outside.append(r.url))
        page.goto(live_server.url + "/api/v1/docs")
        page.wait_for_selector(".opblock-tag", timeout=15_000)
        tags = page.locator(".opblock-tag").all_inner_texts()
        browser.close()
    assert {"ideas", "review", "programme"} <= {t.strip().split("\n")[0] for t in tags}
    assert errors == [] and outside == []
