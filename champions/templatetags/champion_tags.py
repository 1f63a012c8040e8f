from django import template

from champions import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can_sponsor_idea(context, idea) -> bool:
    """Whether the signed-in person may sponsor this idea as a champion."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user is not None and permissions.can_sponsor(user, idea)
