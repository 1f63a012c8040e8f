"""StreamField blocks for lessons about customer life, and quiz questions."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("What the customer said"))
    attribution = blocks.CharBlock(required=False, label=_("Who (e.g. 'spouse of a soldier')"))

    class Meta:
        icon = "openquote"
        template = "training/blocks/quote.html"


class PersonaCardBlock(blocks.StructBlock):
    persona = SnippetChooserBlock("people.CustomerSegment")
    note = blocks.TextBlock(required=False, label=_("Why this persona matters here"))

    class Meta:
        icon = "user"
        template = "training/blocks/persona_card.html"


class EmpathyMapBlock(blocks.StructBlock):
    persona = SnippetChooserBlock("people.CustomerSegment", required=False)
    thinks = blocks.ListBlock(blocks.CharBlock(), label=_("Thinks"))
    feels = blocks.ListBlock(blocks.CharBlock(), label=_("Feels"))
    says = blocks.ListBlock(blocks.CharBlock(), label=_("Says"))
    does = blocks.ListBlock(blocks.CharBlock(), label=_("Does"))

    class Meta:
        icon = "group"
        template = "training/blocks/empathy_map.html"


class JourneyStepBlock(blocks.StructBlock):
    stage = blocks.CharBlock(label=_("Journey stage"))
    touchpoints = blocks.ListBlock(blocks.CharBlock(), label=_("Touchpoints"))
    emotion = blocks.ChoiceBlock(choices=[("delighted", _("delighted")), ("ok", _("fine")),
                                          ("frustrated", _("frustrated")),
                                          ("anxious", _("anxious"))], default="ok")
    note = blocks.CharBlock(required=False)


class JourneyMapBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    steps = blocks.ListBlock(JourneyStepBlock())

    class Meta:
        icon = "list-ol"
        template = "training/blocks/journey_map.html"


class LibraryJourneyMapBlock(blocks.StructBlock):
    """A journey map from the customer library, shown as it is kept there: edit it once
    and every lesson showing it follows."""

    journey_map = SnippetChooserBlock("people.JourneyMap", label=_("Journey map"))
    note = blocks.TextBlock(required=False, label=_("Why this journey matters here"))

    class Meta:
        icon = "list-ol"
        label = _("Journey map from the library")
        template = "training/blocks/library_journey_map.html"


class FiveWhysBlock(blocks.StructBlock):
    problem = blocks.CharBlock(label=_("The problem"))
    whys = blocks.ListBlock(blocks.CharBlock(), max_num=5, label=_("Whys"))
    root_cause = blocks.CharBlock(label=_("Root cause"))

    class Meta:
        icon = "help"
        template = "training/blocks/five_whys.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    action = blocks.ChoiceBlock(choices=[("/champions/insights/", _("Log a customer insight")),
                                         ("/ideas/new/", _("Submit an idea"))])

    class Meta:
        icon = "pick"
        template = "training/blocks/call_to_action.html"


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=RICH)
    image = ImageBlock()
    video = EmbedBlock(help_text=_("A YouTube or Vimeo link."))
    quote = QuoteBlock()
    persona = PersonaCardBlock()
    empathy_map = EmpathyMapBlock()
    journey_map = JourneyMapBlock()
    library_journey_map = LibraryJourneyMapBlock()
    five_whys = FiveWhysBlock()
    call_to_action = CallToActionBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    correct = blocks.BooleanBlock(required=False)
    explanation = blocks.CharBlock(required=False, help_text=_("Shown after answering."))


class QuestionBlock(blocks.StructBlock):
    """Single or multiple answer; true/false is a single-answer question with two choices."""

    text = blocks.CharBlock()
    kind = blocks.ChoiceBlock(choices=[("single", _("one answer")),
                                       ("multiple", _("several answers")),
                                       ("true_false", _("true or false"))], default="single")
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)

    class Meta:
        icon = "help"
