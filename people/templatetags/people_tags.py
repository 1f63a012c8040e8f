"""Template helpers for showing people: `{% load people_tags %}`."""

from django import template

register = template.Library()


@register.filter
def initials(name) -> str:
    """Up to two letters for an avatar: the first letters of the first and last words of
    a display name ("Erin O'Neil" -> "EO"); one word gives one letter. Works for any script
    that has words (Thai names written as one word give their first letter)."""
    words = str(name or "").split()
    if not words:
        return "?"
    letters = [words[0][0]] + ([words[-1][0]] if len(words) > 1 else [])
    return "".join(letters).upper()
