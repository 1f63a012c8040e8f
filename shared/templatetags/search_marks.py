from django import template

from shared.search import highlight

register = template.Library()


@register.filter
def marked(text, terms):
    """The text escaped, with the words a search matched in <mark> (shared.search)."""
    return highlight(text, terms or [])
