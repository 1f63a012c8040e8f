"""Write a screenshot gallery of the main pages, in English, Thai and Persian, to
docs/screenshots/ (linked from the README).

    python3 scripts/screenshots.py            # after `python3 scripts/dev.py run` set up .venv

It builds a fresh demo database in a temporary folder (the demo data of
`manage.py seed_demo`), serves it with runserver on a free port, signs in as each demo
role in Debian's chromium (`apt-get install chromium`; CHROMIUM_PATH overrides) through
Playwright, and captures each page at 1,280 px (and the busiest ones at 375 px) as JPEG.
Nothing it does touches the database or media of `scripts/dev.py run`.

tests/portal/test_screenshots.py requests every page of PAGES as its role, so the
gallery cannot silently lose a page.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
LANGUAGES = [("en", "English"), ("th", "ไทย (Thai)"), ("fa", "فارسی (Persian)")]
PASSWORD = "customer-first-2026"  # shared.demo.DEMO_PASSWORD
ROLES = {
    "employee": "employee@example.com",
    "reviewer": "reviewer@example.com",
    "champion": "champion@example.com",
    "new hire": "newhire@example.com",
    "programme admin": "admin@example.com",
}


@dataclass(frozen=True)
class Shot:
    name: str
    title: str
    role: str
    path: str
    # When set, the page shot is the first link on `path` whose address matches.
    follow: str | None = None
    phone: bool = False


PAGES = [
    Shot("home", "Home", "employee", "/", phone=True),
    Shot("ideas", "Ideas", "employee", "/ideas/", phone=True),
    Shot("idea", "An idea, as its reviewer sees it", "reviewer", "/ideas/",
         follow=r"^/ideas/\d+/$", phone=True),
    Shot("submit", "Submit an idea", "employee", "/ideas/new/"),
    Shot("my-ideas", "My ideas", "employee", "/ideas/mine/"),
    Shot("campaign", "A campaign", "employee", "/campaigns/",
         follow=r"^/campaigns/[^/]+/$"),
    Shot("queue", "Review queue", "reviewer", "/ideas/queue/", phone=True),
    Shot("champions", "Customer champions", "champion", "/champions/"),
    Shot("coverage", "Champion coverage", "programme admin", "/champions/coverage/"),
    Shot("insights", "Customer insights", "champion", "/champions/insights/"),
    Shot("onboarding", "My onboarding", "new hire", "/onboarding/"),
    Shot("newsletter", "A newsletter issue", "employee", "/newsletter/",
         follow=r"^/newsletter/[^/]+/$"),
    Shot("dashboard", "Programme dashboard", "programme admin", "/dashboard/"),
    Shot("profile", "Profile", "employee", "/profile/"),
    Shot("notifications", "Notifications", "employee", "/notifications/"),
]

HREF = re.compile(r'href="([^"#?]+)"')


def first_link(html: str, pattern: str) -> str | None:
    """The first link of a page's HTML whose address matches `pattern`."""
    wanted = re.compile(pattern)
    return next((href for href in HREF.findall(html) if wanted.match(href)), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(folder: Path) -> tuple[subprocess.Popen, str]:
    python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
           "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
           "MEDIA_ROOT": str(folder / "media"), "PRIVATE_MEDIA_ROOT": str(folder / "private"),
           "BASE_URL": base}
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable"], ["seed_demo"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    server = subprocess.Popen([python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, base
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("The demo server did not start.")


def _sign_in(browser, base: str, role: str):
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800},
                                  locale="en-GB")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(ROLES[role])
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    return context, page


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests import chromium

    if not os.path.exists(chromium.PATH):
        raise SystemExit(f"Debian's chromium is needed (apt-get install chromium); "
                         f"looked at {chromium.PATH}")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server, base = _serve(Path(folder))
        try:
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                signed_in = {}
                for shot in PAGES:
                    if shot.role not in signed_in:
                        signed_in[shot.role] = _sign_in(browser, base, shot.role)
                    context, page = signed_in[shot.role]
                    path = shot.path
                    if shot.follow:
                        page.goto(path)
                        path = first_link(page.content(), shot.follow) or path
                    for code, _label in LANGUAGES:
                        context.add_cookies([{"name": "django_language", "value": code,
                                              "url": base}])
                        widths = (1280, 375) if shot.phone else (1280,)
                        for width in widths:
                            page.set_viewport_size({"width": width,
                                                    "height": 800 if width > 400 else 812})
                            page.goto(path)
                            page.wait_for_load_state("networkidle")
                            target = OUT / f"{shot.name}-{code}-{width}.jpg"
                            page.screenshot(path=str(target), type="jpeg", quality=70)
                            print(target.relative_to(ROOT), flush=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    write_index()


def write_index() -> None:
    lines = ["# Screenshots", "",
             "The main pages of the intranet with the demo data, in English, Thai and "
             "Persian, at 1,280 px and (for the busiest pages) 375 px wide. Written by "
             "`python3 scripts/screenshots.py`; run it again after changing a page.", ""]
    header = "| " + " | ".join(label for _code, label in LANGUAGES) + " |"
    rule = "|" + "---|" * len(LANGUAGES)
    for shot in PAGES:
        lines += [f"## {shot.title}", "", f"Signed in as the demo {shot.role}.", ""]
        for width in ((1280, 375) if shot.phone else (1280,)):
            if width == 375:
                lines += ["On a phone (375 px):", ""]
            lines += [header, rule, "| " + " | ".join(
                f"![{shot.title}, {label}]({shot.name}-{code}-{width}.jpg)"
                for code, label in LANGUAGES) + " |", ""]
    (OUT / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
