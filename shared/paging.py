"""One page of a list, from the request's ?page= (a missing or empty one is page 1).
A page number that is not a number or past the end is a 404, never a 500.

Links to other pages keep the list's filters with Django's {% querystring %} tag
(templates/includes/pagination.html): {% querystring page=page.next_page_number %}."""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def page_or_404(request, object_list, per_page: int, *, param: str = "page") -> Page:
    try:
        return Paginator(object_list, per_page).page(request.GET.get(param) or 1)
    except InvalidPage as exc:
        raise Http404(_("No such page.")) from exc
