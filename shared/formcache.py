"""Filter forms rendered once, not on every request.

A filter form (the idea list's, the review queue's) has a dozen fields whose choices come
from the programme's vocabularies (stages, departments, customer segments...). Rendering
it through Django's widget templates costs more than the 25 rows beside it. Its HTML
depends only on the form's class, the values submitted, the language and those choices,
so it is kept per web process, keyed on exactly that: `vocabulary_version()` changes
whenever a vocabulary does (vocabulary_changed(), called by the apps' signals and
services). Entries expire after RENDERED_SECONDS in any case; a form with errors is never
kept. Nothing personal is in these forms: their choices are the same for everyone."""

import hashlib
import uuid

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.template.loader import render_to_string
from django.utils.translation import get_language

RENDERED_SECONDS = 300
VERSION_KEY = "vocabulary-version"
_rendered = LocMemCache("rendered-forms", {"TIMEOUT": RENDERED_SECONDS,
                                           "OPTIONS": {"MAX_ENTRIES": 500}})


def vocabulary_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def vocabulary_changed(**kwargs) -> None:
    """Forget every rendered form (a signal receiver, or called by a service)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def forget_rendered() -> None:
    _rendered.clear()


def _key(form, template: str) -> str:
    data = form.data if form.is_bound else {}
    values = [(name, tuple(data.getlist(form.add_prefix(name)))
               if hasattr(data, "getlist") else data.get(form.add_prefix(name)))
              for name in form.fields]
    raw = repr((type(form).__module__, type(form).__qualname__, form.prefix, form.auto_id,
                template, get_language(), vocabulary_version(), values))
    return hashlib.sha256(raw.encode()).hexdigest()


def render_form(form, template: str = "includes/form.html") -> str:
    if form.is_bound and form.errors:
        return render_to_string(template, {"form": form})
    key = _key(form, template)
    html = _rendered.get(key)
    if html is None:
        html = render_to_string(template, {"form": form})
        _rendered.set(key, html)
    return html
