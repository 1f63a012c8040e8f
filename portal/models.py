from django.db import models
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


class IdeaDayFigures(models.Model):
    """The programme dashboard's rollup (portal.rollup): submitted ideas counted by the
    day they were submitted, department, stage, metric and the day of their first
    decision, days in settings.TIME_ZONE. A derived table: plain ids rather than foreign
    keys (0 for none), so nothing is blocked or cascaded by it."""

    day = models.DateField()
    department_pk = models.BigIntegerField()
    stage_pk = models.BigIntegerField()
    metric = models.CharField(max_length=8)
    decided_on = models.DateField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_pk", "stage_pk", "metric", "decided_on"],
                name="portal_idea_day_figures_key"),
            # NULLs are distinct in a unique index: the undecided rows have their own.
            models.UniqueConstraint(
                fields=["day", "department_pk", "stage_pk", "metric"],
                condition=models.Q(decided_on__isnull=True),
                name="portal_idea_day_figures_undecided_key"),
        ]
        indexes = [models.Index(fields=["department_pk", "day"],
                                name="portal_idea_day_figures_dept")]

    def __str__(self):
        return f"{self.day} department {self.department_pk} stage {self.stage_pk}: {self.n}"


class IdeaMonthFigures(models.Model):
    """IdeaDayFigures summed by month (first day), without the day of the first decision:
    the dashboard reads whole months of its period from here."""

    month = models.DateField()
    department_pk = models.BigIntegerField()
    stage_pk = models.BigIntegerField()
    metric = models.CharField(max_length=8)
    decided = models.BooleanField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "department_pk", "stage_pk", "metric", "decided"],
            name="portal_idea_month_figures_key")]

    def __str__(self):
        return f"{self.month:%Y-%m} department {self.department_pk} stage {self.stage_pk}: {self.n}"


class IdeaDayDecisions(models.Model):
    """IdeaDayFigures' decided ideas summed over departments, stages and metrics: pairs
    of (submitted day, first decided day), for the time to a first decision."""

    day = models.DateField()
    decided_on = models.DateField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "decided_on"],
                                               name="portal_idea_day_decisions_key")]

    def __str__(self):
        return f"{self.day} -> {self.decided_on}: {self.n}"


class IdeaDirtyDay(models.Model):
    """A day (UTC) on which some submitted idea changed since the rollup counted it.
    Written by database triggers on the ideas table (portal.rollup), so every write is
    seen: services, queryset updates, bulk inserts, cascades. Many rows per day may
    exist; the rollup refresh deletes those it has read."""

    day = models.DateField(db_index=True)

    def __str__(self):
        return f"{self.day} (UTC)"


class IdeaRollupState(models.Model):
    """One row: the time zone the rollup's days are in. No row, an empty zone or another
    zone than settings.TIME_ZONE: the rollup is not built for this site and is rebuilt."""

    time_zone = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"rollup in {self.time_zone or '(not built)'}"
