"""Floors for the page benchmarks, served through the same middleware (session, auth,
CSRF, CSP...) as the product pages, with the same session cookie.

- bare: a Django view that does nothing: the cost of the stack itself.
- rows: the same 25 rows as the first page of the idea list (the same visibility rule,
  newest first), fetched with one query and rendered with a minimal template."""

from django.http import HttpResponse
from django.template import engines

from ideas.selectors import visible_ideas

ROWS = engines["django"].from_string(
    "<!doctype html><title>rows</title><ol>{% for i in ideas %}"
    '<li><a href="/ideas/{{ i.pk }}/">{{ i.title }}</a> {{ i.stage__name }} '
    "{{ i.department__name }} {{ i.support_count }} {{ i.submitted_at|date:'Y-m-d' }}</li>"
    "{% endfor %}</ol>")


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def rows(request):
    ideas = (visible_ideas(request.user).order_by("-submitted_at", "-pk")
             .values("pk", "title", "stage__name", "department__name", "support_count",
                     "submitted_at")[:25])
    return HttpResponse(ROWS.render({"ideas": ideas}, request))
