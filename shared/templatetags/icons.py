"""{% icon "lightbulb" %}: an icon from static/icons/sprite.svg (Lucide, built by
scripts/build_icons.py). Icons are decorative: the text beside them names the action,
so they are hidden from assistive technology. Directional icons (chevrons) mirror in
right-to-left pages through the icon--directional class."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

DIRECTIONAL = {"chevron-left", "chevron-right"}


@register.simple_tag
def icon(name: str, extra_class: str = "") -> str:
    classes = " ".join(c for c in ("icon", "icon--directional" if name in DIRECTIONAL else "",
                                   extra_class) if c)
    return format_html('<svg class="{}" aria-hidden="true" focusable="false">'
                       '<use href="{}#{}"></use></svg>',
                       classes, static("icons/sprite.svg"), name)
