from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page


class HomePage(Page):
    """The intranet's home: editors add announcements; the rest is personal."""

    announcements = StreamField(
        [
            ("announcement", blocks.StructBlock([
                ("heading", blocks.CharBlock(max_length=120)),
                ("text", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])),
            ], icon="info-circle")),
        ],
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("announcements")]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from wagtail import hooks

        context = super().get_context(request, *args, **kwargs)
        # Each feature app contributes its own panels (hook "intranet_home_panels"):
        # a callable taking the request and returning a list of panel dicts
        # {"template": ..., "order": ..., **context}.
        panels = []
        for provide in hooks.get_hooks("intranet_home_panels"):
            panels.extend(provide(request) or [])
        context["home_panels"] = sorted(panels, key=lambda p: p.get("order", 100))
        return context
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
