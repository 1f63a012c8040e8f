"""Paging long lists.

Two ways:

- page_or_404: numbered pages (?page=N) for short lists (a department roster, a person's
  notifications). A page number that is not a number or past the end is a 404.
- keyset_page: "newer / older" pages for lists that grow with the archive (ideas, search,
  the review queue). A page is found from the sort key of the row before it (?after=) or
  after it (?before=), so page 500 costs what page 1 costs: the database walks its index
  from that key instead of reading and discarding 12,475 rows (OFFSET). Its count is
  capped: "1,000+" reads at most 1,001 index entries, where an exact COUNT(*) of a
  filtered archive is a scan of every idea per request.

Links keep the list's filters with Django's {% querystring %} tag
(templates/includes/pagination.html, templates/includes/keyset_pagination.html)."""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connections
from django.db.models import F, OrderBy, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

COUNT_CAP = 1000
COUNT_SECONDS = 60


def page_or_404(request, object_list, per_page: int, *, param: str = "page") -> Page:
    try:
        return Paginator(object_list, per_page).page(request.GET.get(param) or 1)
    except InvalidPage as exc:
        raise Http404(_("No such page.")) from exc


def capped_count(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): the exact count up to `cap` (COUNT_CAP), else (cap, True). One
    bounded query: SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1)."""
    cap = cap or COUNT_CAP
    n = queryset.order_by()[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


def capped_counts(cap: int | None = None, **querysets: QuerySet) -> dict[str, tuple[int, bool]]:
    """capped_count() of several querysets of one database in one round trip:
    SELECT (SELECT COUNT(*) FROM (... LIMIT cap + 1)), (...), ..."""
    cap = cap or COUNT_CAP
    parts, params = [], []
    using = next(iter(querysets.values())).db
    for qs in querysets.values():
        inner = qs.order_by().values("pk")[: cap + 1]
        sql, inner_params = inner.query.get_compiler(using=using).as_sql()
        # The SQL is Django's own compilation, every value stays a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608
        params.extend(inner_params)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {name: (cap, True) if n > cap else (n, False)
            for name, n in zip(querysets, row, strict=True)}


@dataclass(frozen=True)
class _Key:
    name: str
    descending: bool
    nulls_first: bool
    nullable: bool
    field: object

    def reversed(self) -> "_Key":
        return _Key(self.name, not self.descending, not self.nulls_first, self.nullable,
                    self.field)

    def order(self) -> OrderBy:
        expression = F(self.name)
        if not self.nullable:
            return expression.desc() if self.descending else expression.asc()
        nulls = {"nulls_first": True} if self.nulls_first else {"nulls_last": True}
        return expression.desc(**nulls) if self.descending else expression.asc(**nulls)

    def equal(self, value) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def beyond(self, value) -> Q | None:
        """Rows strictly after `value` in this key's order (None: there are none)."""
        if value is None:
            return Q(**{f"{self.name}__isnull": False}) if self.nulls_first else None
        condition = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
        if self.nullable and not self.nulls_first:
            condition |= Q(**{f"{self.name}__isnull": True})
        return condition

    def bound(self, value) -> Q | None:
        """A redundant range on the first key, so the database starts its index scan at
        the cursor rather than filtering from the top."""
        if value is None or self.nullable:
            return None
        return Q(**{f"{self.name}__{'lte' if self.descending else 'gte'}": value})


def _keys(queryset: QuerySet) -> list[_Key]:
    """The sort keys of an ordered queryset, the last of which must be the primary key
    (so every row has its own place). Where a key can be NULL in the list, order by
    F(name).asc/desc(nulls_first=... or nulls_last=...): the default place differs
    between SQLite and PostgreSQL."""
    model = queryset.model
    keys = []
    for item in queryset.query.order_by or model._meta.ordering:
        if isinstance(item, str):
            descending, name = item.startswith("-"), item.lstrip("-")
            nulls_first = None
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            descending, name = item.descending, item.expression.name
            nulls_first = True if item.nulls_first else False if item.nulls_last else None
        else:
            raise ValueError(f"keyset paging cannot order by {item!r}")
        if name in queryset.query.annotations:
            # A computed sort key (a search's relevance): compared as the annotation.
            keys.append(_Key(name, descending, False, False,
                             queryset.query.annotations[name].output_field))
            continue
        model_field = (model._meta.pk if name == "pk" else model._meta.get_field(name))
        # Ordered by name, a nullable column is taken to hold no NULLs in this list
        # (submitted ideas always have submitted_at), so the plain index order serves.
        nullable = model_field.null and nulls_first is not None
        keys.append(_Key("pk" if model_field.primary_key else name, descending,
                         bool(nulls_first), nullable, model_field))
    if not keys or keys[-1].name != "pk":
        raise ValueError("keyset paging needs the primary key as the last sort key")
    return keys


def _after(keys: list[_Key], values: list) -> Q:
    """Rows after the row whose sort key is `values`: (k1 > v1) or (k1 = v1 and k2 > v2)..."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        beyond = key.beyond(value)
        if beyond is not None:
            condition |= equal & beyond
        equal &= key.equal(value)
    bound = keys[0].bound(values[0])
    return condition & bound if bound is not None else condition


def encode_cursor(keys: list[_Key], row) -> str:
    values = [getattr(row, key.name) for key in keys]
    # The primary key and computed keys (annotations, no model field) as they are.
    raw = json.dumps([None if v is None else v
                      if key.name == "pk" or getattr(key.field, "model", None) is None
                      else key.field.value_to_string(row)
                      for key, v in zip(keys, values, strict=True)],
                     separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(keys: list[_Key], cursor: str) -> list:
    """The sort key a cursor names, each value parsed by its model field; anything else
    (tampered, truncated, from another sort) is a 404, never a 500."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        return [None if v is None else key.field.to_python(v)
                for key, v in zip(keys, values, strict=True)]
    except (ValueError, TypeError, ValidationError, binascii.Error, UnicodeDecodeError,
            FieldDoesNotExist, OverflowError) as exc:
        raise Http404(_("No such page.")) from exc


@dataclass
class KeysetPage:
    """One page of a keyset-paged list; iterate it for its rows."""

    object_list: list
    count: int
    count_capped: bool
    newer: str | None = None  # cursor for the page before (?before=)
    older: str | None = None  # cursor for the page after (?after=)
    is_first: bool = True
    is_last: bool = True
    prefix: str = ""  # of the parameters, when a page holds two lists (an idea's comments)

    def _params(self, **values) -> dict:
        # Every paging parameter is replaced (None drops it), the page's filters stay.
        names = {"after": None, "before": None, "last": None, **values}
        return {f"{self.prefix}{k}": v for k, v in names.items()} | (
            {} if self.prefix else {"page": None})

    @property
    def first_params(self) -> dict:
        return self._params()

    @property
    def previous_params(self) -> dict:
        return self._params(before=self.newer)

    @property
    def next_params(self) -> dict:
        return self._params(after=self.older)

    @property
    def last_params(self) -> dict:
        return self._params(last="1")

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return not (self.is_first and self.is_last)


def keyset_page(request, queryset: QuerySet, per_page: int, *, count: bool = True,
                count_key=None, prefix: str = "") -> KeysetPage:
    """The page of an ordered queryset that ?after=, ?before= or ?last=1 asks for (none:
    the first page; `prefix` goes before each name). The queryset's order must end with
    the primary key.

    count_key: the count is kept in the shared cache for COUNT_SECONDS under this key,
    which must name everything the count depends on (the filters, and who is asking or
    what they may see): a text search's count reads every idea until 1,001 match, and
    paging through its results asks for the same count again."""
    keys = _keys(queryset)
    after = request.GET.get(f"{prefix}after")
    before = request.GET.get(f"{prefix}before")
    last = request.GET.get(f"{prefix}last") == "1"
    ordered = queryset.order_by(*(key.order() for key in keys))
    reverse = [key.reversed() for key in keys]
    backwards = ordered.order_by(*(key.order() for key in reverse))
    computed = any(key.name in queryset.query.annotations for key in keys)

    def first(qs, n):
        if computed and not qs.query.distinct:
            # Sorted by a computed key (a search's relevance), the database computes it
            # for every match: pick the page's keys from the narrow rows first, then read
            # the page's wide rows and joins for those only (at 100,000 ideas, half the
            # time of the English search: docs/benchmarks.md, "Ranked search").
            qs = qs.filter(pk__in=qs.values("pk")[:n])
        return list(qs[:n])

    if after:
        rows = first(ordered.filter(_after(keys, decode_cursor(keys, after))), per_page + 1)
        is_first, is_last = False, len(rows) <= per_page
        rows = rows[:per_page]
    elif before or last:
        qs = backwards.filter(_after(reverse, decode_cursor(keys, before))) if before \
            else backwards
        rows = first(qs, per_page + 1)
        # ?before= came from a row of the next page, so that page exists; ?last=1 is the end.
        is_first, is_last = len(rows) <= per_page, not before
        rows = rows[:per_page][::-1]
    else:
        rows = first(ordered, per_page + 1)
        is_first, is_last = True, len(rows) <= per_page
        rows = rows[:per_page]
    if not count:
        n, capped = 0, False
    elif is_first and is_last:
        n, capped = len(rows), False  # the whole list is on this page
    elif count_key:
        key = "list-count:" + hashlib.sha256(repr(count_key).encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            found = capped_count(queryset)
            cache.set(key, found, COUNT_SECONDS)
        n, capped = found
    else:
        n, capped = capped_count(queryset)
    return KeysetPage(
        object_list=rows, count=n, count_capped=capped,
        newer=encode_cursor(keys, rows[0]) if rows and not is_first else None,
        older=encode_cursor(keys, rows[-1]) if rows and not is_last else None,
        is_first=is_first, is_last=is_last, prefix=prefix)
