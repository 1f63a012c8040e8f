"""The interactive API docs render in a real browser under the site's strict CSP (no
inline scripts, nothing from a CDN). Run with -m browser."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_docs_render_under_the_csp(live_server, page):
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: None if r.url.startswith(live_server.url)
            else outside.append(r.url))
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".opblock-tag")
    tags = page.locator(".opblock-tag").all_inner_texts()
    assert {"ideas", "review", "programme"} <= {t.strip().split("\n")[0] for t in tags}
    assert errors == [] and outside == []
