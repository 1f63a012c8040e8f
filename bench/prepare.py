"""Data and sessions the benchmarked pages need, and in-process query counts.

    python -m bench.prepare extras           # JSON: pages to load, with session cookies
    python -m bench.prepare queries FILE     # JSON: queries per request of each page
                                             # (bench/inprocess.py measures more)
    python -m bench.prepare semantic         # JSON: the search pages, the similar-ideas
                                             # panel and a reviewer's detail page, for
                                             # bench/inprocess.py --semantic

Run with DJANGO_SETTINGS_MODULE=bench.settings (the runner sets everything). Idempotent:
the database grows 1k -> 10k -> 100k ideas and this runs once per size."""

import json
import os
import sys
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from ideas.models import Comment, Follow, Idea, Stage  # noqa: E402
from ideas.selectors import visible_ideas  # noqa: E402
from people.models import User  # noqa: E402

EMPLOYEE = "employee@example.com"
REVIEWER = "reviewer@example.com"
ADMIN = "admin@example.com"
NEW_HIRE = "newhire@example.com"
BIG_TITLE = "Bench: a much-discussed idea (200 comments)"
COMMENTS = 200
FILTER = "metric=ces&sort=newest"
SEARCH_EN = "renewal"
SEARCH_TH = "เคลม"  # "claim": Thai is written without spaces, found inside words
DEEP = 40  # the deep page of the list: page 1, then "older" (rel="next") 39 times
ROWS_FLOOR = "floor: same 25 rows"


def big_idea() -> Idea:
    """One idea with 200 comments by different people (written directly, as the generator
    does: no notifications)."""
    idea = Idea.objects.filter(title=BIG_TITLE).first()
    if idea is not None:
        return idea
    authors = list(User.objects.filter(username__startswith="bench-")
                   .order_by("pk").values_list("pk", flat=True)[:COMMENTS])
    submitter = User.objects.get(email=EMPLOYEE)
    stage = Stage.objects.filter(is_initial=True).first()
    now = timezone.now()
    with transaction.atomic():
        idea = Idea(title=BIG_TITLE, problem="Customers renewing a policy are asked for the "
                    "same documents again. ลูกค้าต้องส่งเอกสารซ้ำ",
                    delight="They renew in one step.", metric="ces",
                    submitter=submitter, department=submitter.department,
                    status=Idea.Status.SUBMITTED, stage=stage, stage_entered_at=now,
                    submitted_at=now - timedelta(days=30), comment_count=COMMENTS)
        idea.refresh_search_text(tag_names=[])
        idea.save()
        Comment.objects.bulk_create([
            Comment(idea=idea, author_id=authors[i % len(authors)],
                    body=f"Comment {i}: our customers see this every week. "
                         "ลูกค้าของผมบ่นเรื่องนี้ทุกสัปดาห์")
            for i in range(COMMENTS)])
        Follow.objects.get_or_create(idea=idea, user=submitter)
    return idea


def session_cookie(email: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=email),
                       backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class _Links(HTMLParser):
    """The <a href> of a page, with their rel."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append((unescape(attrs["href"]), (attrs.get("rel") or "").lower()))


def links(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _absolute(href: str, base: str) -> str:
    # The pagination links are query strings ("?metric=ces&after=..."): on the list's path.
    return urlsplit(base).path + href if href.startswith("?") else href


def deep_pages(client: Client, first: str, filtered: int) -> list[tuple[str, str]]:
    """(label, path) of the list's deep pages, whichever paging the list offers:
    - numbered (?page=N): the last page, as before;
    - keyset ("older" links, rel="next"): page DEEP, reached by following the first
      rel="next" link from page 1 (fewer if the list ends sooner), and the "last page"
      link (?last=1) when there is one."""
    response = client.get(first)
    if response.status_code != 200:
        raise SystemExit(f"{first} answers {response.status_code}")
    found = links(response.content.decode())
    nexts = [href for href, rel in found if "next" in rel.split()]
    if not nexts:
        return []
    numbered = "page" in parse_qs(urlsplit(nexts[0]).query)
    if numbered:
        last_page = max(1, -(-filtered // 25))
        return [(f"idea list, filtered, last page ({last_page})",
                 f"{first}&page={last_page}")]
    out = []
    last = next((href for href, _rel in found
                 if parse_qs(urlsplit(href).query).get("last") == ["1"]), None)
    path, page = first, 1
    while page < DEEP:
        response = client.get(path)
        href = next((h for h, rel in links(response.content.decode())
                     if "next" in rel.split()), None)
        if href is None:
            break
        path, page = _absolute(href, path), page + 1
    out.append((f"idea list, filtered, deep page ({page})", path))
    if last:
        out.append(("idea list, filtered, last page", _absolute(last, first)))
    return out


def extras() -> dict:
    idea = big_idea()
    employee = User.objects.get(email=EMPLOYEE)
    filtered = visible_ideas(employee).filter(metric="ces").count()
    cookies = {role: session_cookie(email) for role, email in
               [("employee", EMPLOYEE), ("reviewer", REVIEWER), ("admin", ADMIN),
                ("newhire", NEW_HIRE)]}
    employee_client = Client()
    employee_client.cookies[settings.SESSION_COOKIE_NAME] = cookies["employee"]
    deep = deep_pages(employee_client, f"/ideas/?{FILTER}", filtered)
    pages = [
        # (name, path, who); every page is measured against the same-25-rows floor
        ("floor: bare view", "/_bench/bare/", "employee"),
        (ROWS_FLOOR, "/_bench/rows/", "employee"),
        ("idea list, filtered, page 1", f"/ideas/?{FILTER}", "employee"),
        *((name, path, "employee") for name, path in deep),
        ("idea detail, 200 comments", f"/ideas/{idea.pk}/", "employee"),
        ("search, English", f"/ideas/?q={SEARCH_EN}", "employee"),
        ("search, Thai", "/ideas/?q=%E0%B9%80%E0%B8%84%E0%B8%A5%E0%B8%A1", "employee"),
        ("triage queue", "/ideas/queue/", "reviewer"),
        ("home page", "/", "employee"),
        ("programme dashboard", "/dashboard/", "admin"),
        # "Refresh": the figures recomputed, not read from the shared cache.
        ("programme dashboard, cache miss", "/dashboard/?refresh=1", "admin"),
        ("my onboarding", "/onboarding/", "newhire"),
    ]
    return {
        "ideas": Idea.objects.count(),
        "submitted_ideas": Idea.objects.filter(status=Idea.Status.SUBMITTED).count(),
        "users": User.objects.count(),
        "comments": Comment.objects.count(),
        "filtered_ideas": filtered,
        "pages": [{"name": n, "path": p, "who": w, "cookie": cookies[w],
                   "floor": None if n == ROWS_FLOOR else ROWS_FLOOR}
                  for n, p, w in pages],
    }


# What someone types into the submit form (title, problem), in English and in Thai.
TYPED_EN = ("Let customers track their claim online",
            "They phone the call centre again and again to ask where their claim is.")
TYPED_TH = ("ให้ลูกค้าติดตามสถานะเคลมออนไลน์", "ลูกค้าโทรมาถามซ้ำหลายครั้งว่าเคลมถึงไหนแล้ว")


def semantic_pages() -> dict:
    """The pages whose cost the semantic backend changes (issue 19), for
    bench/inprocess.py --semantic: search (lexical either way), the similar-ideas panel
    the submit form calls while typing, and a reviewer's idea detail page, which has the
    "Possible duplicates" panel (a recent undecided idea by someone else)."""
    reviewer = User.objects.get(email=REVIEWER)
    idea = (Idea.objects.filter(status=Idea.Status.SUBMITTED, confidential=False)
            .exclude(stage__kind__in=Stage.DECIDED_KINDS)
            .exclude(submitter=reviewer).order_by("-submitted_at", "-pk").first())
    cookies = {"employee": session_cookie(EMPLOYEE), "reviewer": session_cookie(REVIEWER)}
    pages = [
        ("search, English", f"/ideas/?q={SEARCH_EN}", "employee"),
        ("search, Thai", "/ideas/?q=%E0%B9%80%E0%B8%84%E0%B8%A5%E0%B8%A1", "employee"),
        ("similar ideas while typing, English",
         "/ideas/similar/?" + urlencode(dict(zip(("title", "problem"), TYPED_EN,
                                                 strict=True))), "employee"),
        ("similar ideas while typing, Thai",
         "/ideas/similar/?" + urlencode(dict(zip(("title", "problem"), TYPED_TH,
                                                 strict=True))), "employee"),
        ("idea detail, reviewer (possible duplicates)", f"/ideas/{idea.pk}/", "reviewer"),
    ]
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookies["reviewer"]
    if b"duplicates-heading" not in client.get(f"/ideas/{idea.pk}/").content:
        raise SystemExit(f"idea {idea.pk}: the reviewer's page has no possible duplicates")
    return {"ideas": Idea.objects.count(),
            "pages": [{"name": n, "path": p, "who": w, "cookie": cookies[w], "floor": None}
                      for n, p, w in pages]}


def queries(pages: list[dict]) -> dict:
    """Queries of each page, counted in-process (second request: warm caches)."""
    out = {}
    for page in pages:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = page["cookie"]
        client.get(page["path"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        out[page["name"]] = {"status": response.status_code, "queries": len(captured),
                             "bytes": len(response.content),
                             "sql": [q["sql"][:300] for q in captured.captured_queries]}
    return out


if __name__ == "__main__":
    if sys.argv[1] == "extras":
        print(json.dumps(extras()))
    elif sys.argv[1] == "semantic":
        print(json.dumps(semantic_pages()))
    elif sys.argv[1] == "queries":
        with open(sys.argv[2]) as f:
            print(json.dumps(queries(json.load(f)["pages"])))
    else:
        sys.exit(f"unknown command {sys.argv[1]!r}")
