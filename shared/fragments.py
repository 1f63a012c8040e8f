"""Parts of pages rendered once, not on every request.

- Filter forms (the idea list's, the review queue's) have a dozen fields whose choices
  come from the programme's vocabularies (stages, departments, customer segments...);
  rendering them through Django's widget templates cost more than the 25 rows beside
  them. The HTML depends only on the form's class, the values submitted, the language
  and those choices.
- Rows of a long list (an idea card) depend only on the row's own fields, the language
  and the vocabularies.

So both are kept per web process, keyed on exactly that: `vocabulary_version()` changes
whenever a vocabulary does (vocabulary_changed(), called by the apps' signals and
services), a row's key holds what changes it. Entries expire after RENDERED_SECONDS
in any case (a tag renamed in the admin shows within that), a form with errors is never
kept, and nothing personal is in either: they are the same for everyone who may see
them; which rows someone may see is decided by the query, every request."""

import hashlib
import time
import uuid

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

RENDERED_SECONDS = 300
VERSION_KEY = "vocabulary-version"
# Bounded per process: memory stays flat however large the archive grows.
_rendered = LocMemCache("rendered-fragments", {"TIMEOUT": RENDERED_SECONDS,
                                               "OPTIONS": {"MAX_ENTRIES": 3000}})


# The version is read from the shared cache at most once a second per process: a page
# asks for it several times, and a change made in another process shows a second later.
_version_seen: tuple[float, str] | None = None


def vocabulary_version() -> str:
    global _version_seen
    now = time.monotonic()
    if _version_seen is not None and now - _version_seen[0] < 1:
        return _version_seen[1]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "unknown"
    _version_seen = (now, version)
    return version


def vocabulary_changed(**kwargs) -> None:
    """Forget every rendered fragment (a signal receiver, or called by a service)."""
    global _version_seen
    _version_seen = None
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def kept(name: str, compute):
    """compute(), kept per process until a vocabulary changes (the list of stages...)."""
    key = _digest("value", name, vocabulary_version())
    value = _rendered.get(key)
    if value is None:
        value = compute()
        _rendered.set(key, value)
    return value


def forget_rendered() -> None:
    global _version_seen
    _version_seen = None
    _rendered.clear()


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def render_form(form, template: str = "includes/form.html") -> str:
    if form.is_bound and form.errors:
        return render_to_string(template, {"form": form})
    data = form.data if form.is_bound else {}
    values = [(name, tuple(data.getlist(form.add_prefix(name)))
               if hasattr(data, "getlist") else data.get(form.add_prefix(name)))
              for name in form.fields]
    key = _digest(type(form).__module__, type(form).__qualname__, form.prefix, form.auto_id,
                  template, get_language(), vocabulary_version(), values)
    html = _rendered.get(key)
    if html is None:
        html = render_to_string(template, {"form": form})
        _rendered.set(key, html)
    return html


def render_rows(template: str, rows, *, key, name: str = "row", context=None,
                prepare=None) -> list[str]:
    """Each row rendered with `template` ({name: row, **context}), kept under
    key(row), which must name everything the row shows that can change (for an idea:
    its id, updated_at and the counters services update in place). prepare(rows) runs on
    the rows that were not kept before they are rendered (to read their tags, say)."""
    rows = list(rows)
    prefix = (template, get_language(), vocabulary_version())
    keys = [_digest(*prefix, key(row)) for row in rows]
    kept = _rendered.get_many(keys)
    missing = [row for row, k in zip(rows, keys, strict=True) if k not in kept]
    if missing:
        if prepare is not None:
            prepare(missing)
        context = context or {}
        fresh = {}
        for row, k in zip(rows, keys, strict=True):
            if k not in kept:
                fresh[k] = render_to_string(template, {**context, name: row})
        _rendered.set_many(fresh)
        kept.update(fresh)
    return [mark_safe(kept[k]) for k in keys]  # noqa: S308 - rendered by our templates
