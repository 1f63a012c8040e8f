from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from ideas.chooser import decided_idea_chooser_viewset


def _blank(value) -> bool:
    """Nothing entered: no choice, an empty text, or a row whose fields are all blank."""
    if value is None or value == "":
        return True
    if isinstance(value, blocks.StructValue):
        return all(_blank(child) for child in value.values())
    return False


class RowsBlock(blocks.ListBlock):
    """A list whose empty rows (added, then left blank) are dropped when it is cleaned,
    so a draft saved with one never blocks submitting or publishing the issue. A row
    filled in only in part still says which field is missing."""

    # Stored in migrations as Wagtail's ListBlock: the stored data is the same.
    canonical_module_path = "wagtail.blocks.ListBlock"

    def clean(self, value):
        value = self.normalize(value)
        kept = [child for child in value.bound_blocks if not _blank(child.value)]
        return super().clean(blocks.list_block.ListValue(self, bound_blocks=kept))


class StoryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=150)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "newsletter/blocks/story.html"


class InsightsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("What customers told us"))
    insights = RowsBlock(SnippetChooserBlock("champions.Insight"), min_num=1, max_num=8)

    class Meta:
        icon = "openquote"
        template = "newsletter/blocks/insights.html"


DecidedIdeaChooserBlock = decided_idea_chooser_viewset.get_block_class(
    name="DecidedIdeaChooserBlock", module_path="newsletter.blocks")


class YouSaidWeDidBlock(blocks.StructBlock):
    """Ideas from the pipeline: the ones the writer chooses, or (none chosen) those decided
    or implemented since the previous issue. Only ideas every employee may see."""

    heading = blocks.CharBlock(default=_("You said, we did"))
    ideas = RowsBlock(
        DecidedIdeaChooserBlock(), default=[], max_num=30,
        help_text=_("Choose the ideas to tell readers about, in order. Leave empty to list "
                    "the ideas decided since the previous issue."))
    include_declined = blocks.BooleanBlock(
        required=False, default=False,
        help_text=_("Also list declined ideas (when none are chosen)."))
    limit = blocks.IntegerBlock(default=8, min_value=1, max_value=30,
                                help_text=_("How many to list when none are chosen."))
    show_impact = blocks.BooleanBlock(
        required=False, default=True,
        help_text=_("Show the measured impact (before → after) of implemented ideas."))

    class Meta:
        icon = "tick"
        template = "newsletter/blocks/you_said_we_did.html"

    def get_context(self, value, parent_context=None):
        from .selectors import you_said_we_did

        context = super().get_context(value, parent_context)
        page = (parent_context or {}).get("page")
        context["ideas"] = you_said_we_did(issue=page, include_declined=value["include_declined"],
                                           limit=value["limit"], chosen=value.get("ideas") or ())
        return context


class RecognitionBlock(blocks.StructBlock):
    """Thanks in print: implemented ideas with the people they credit and what they
    changed for customers. The writer chooses, or (none chosen) the ideas implemented
    since the previous issue. Only ideas every employee may see."""

    heading = blocks.CharBlock(default=_("Thank you"))
    text = blocks.TextBlock(required=False, help_text=_("A few words of your own (optional)."))
    ideas = RowsBlock(
        DecidedIdeaChooserBlock(), default=[], max_num=10,
        help_text=_("Choose implemented ideas to credit, in order. Leave empty to credit "
                    "the ideas implemented since the previous issue."))
    limit = blocks.IntegerBlock(default=5, min_value=1, max_value=10,
                                help_text=_("How many to credit when none are chosen."))

    class Meta:
        icon = "pick"
        template = "newsletter/blocks/recognition.html"

    def get_context(self, value, parent_context=None):
        from .selectors import recognised_ideas

        context = super().get_context(value, parent_context)
        context["ideas"] = recognised_ideas(issue=(parent_context or {}).get("page"),
                                            limit=value["limit"],
                                            chosen=value.get("ideas") or ())
        return context


class PersonaSpotlightBlock(blocks.StructBlock):
    persona = SnippetChooserBlock("people.CustomerSegment")
    text = blocks.TextBlock(required=False)

    class Meta:
        icon = "user"
        template = "newsletter/blocks/persona.html"


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("Read more"))
    links = RowsBlock(blocks.StructBlock([("title", blocks.CharBlock()),
                                                 ("url", blocks.URLBlock())]))

    class Meta:
        icon = "link"
        template = "newsletter/blocks/links.html"


class IssueStreamBlock(blocks.StreamBlock):
    story = StoryBlock()
    insights = InsightsBlock()
    you_said_we_did = YouSaidWeDidBlock()
    recognition = RecognitionBlock()
    persona_spotlight = PersonaSpotlightBlock()
    links = LinkListBlock()
