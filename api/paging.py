"""Cursor pages for API lists: the same keyset paging as the intranet's lists
(shared.paging), so page 500 costs what page 1 costs and a tampered cursor is a 404.

Every list answers {"items": [...], "next": <cursor or null>, "count": n,
"count_capped": bool}; the next page is the same request with ?after=<next>."""

from django.db.models import QuerySet

from shared.paging import keyset_page

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def cursor_page(request, queryset: QuerySet, *, limit: int = DEFAULT_LIMIT,
                count_key=None) -> dict:
    """The page ?after= names (none: the first) of an ordered queryset whose order ends
    with the primary key. `limit` is validated by the caller's schema (1..MAX_LIMIT)."""
    page = keyset_page(request, queryset, max(1, min(limit, MAX_LIMIT)), count_key=count_key)
    return {"items": page.object_list, "next": page.older,
            "count": page.count, "count_capped": page.count_capped}
