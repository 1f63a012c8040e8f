"""Blocks for the customer library: a journey map's stages (people.JourneyMap)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class JourneyMapStageBlock(blocks.StructBlock):
    """One stage of a customer's journey: where they meet us, what they do, think and
    feel there, and what hurts."""

    stage = blocks.CharBlock(label=_("Journey stage"), max_length=120)
    touchpoints = blocks.ListBlock(blocks.CharBlock(max_length=200), label=_("Touchpoints"),
                                   required=False)
    does = blocks.TextBlock(label=_("Does"), required=False)
    thinks = blocks.TextBlock(label=_("Thinks"), required=False)
    feeling = blocks.ChoiceBlock(label=_("Feels"), default="ok", choices=[
        ("delighted", _("delighted")), ("ok", _("fine")), ("frustrated", _("frustrated")),
        ("anxious", _("anxious"))])
    pain_points = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Pain points"),
                                   required=False)

    class Meta:
        icon = "list-ol"
