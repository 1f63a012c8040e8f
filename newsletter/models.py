import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PagePermissionTester

from shared.search import build_search_text

from .admin_forms import IssueForm
from .blocks import IssueStreamBlock

USER = settings.AUTH_USER_MODEL


class NewsletterPagePermissionTester(PagePermissionTester):
    """Wagtail's page permissions, except that a sent issue, and any page above one, can
    be neither deleted nor moved, by anyone: its deliveries record who received what and
    protect it in the database (deleting it was a ProtectedError, a 500). Wagtail asks
    this in every admin view, bulk action and its admin API, and offers no Delete button
    where it says no."""

    def can_delete(self, ignore_bulk=False):
        if NewsletterIssuePage.sent_within(self.page).exists():
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)


class NewsletterArchivePage(Page):
    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count = 1

    def permissions_for_user(self, user):
        return NewsletterPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from .selectors import archive

        context = super().get_context(request, *args, **kwargs)
        context.update(archive(archive_page=self, request=request,
                               query=request.GET.get("q", "")[:200]))
        context["write_issue_url"] = self.write_issue_url(request.user)
        return context

    def write_issue_url(self, user) -> str | None:
        """Wagtail's "add a newsletter issue here" page, for people who may write one."""
        from django.urls import reverse

        from . import permissions

        if not permissions.can_write_issue(user, self):
            return None
        return reverse("wagtailadmin_pages:add",
                       args=("newsletter", "newsletterissuepage", self.pk))


class NewsletterIssuePage(Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=1000)
    body = StreamField(IssueStreamBlock(), blank=True)
    search_text = models.TextField(editable=False, default="")

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["newsletter.NewsletterArchivePage"]
    subpage_types: list = []

    preview_modes = [("", _("Web page")), ("email", _("E-mail"))]
    base_form_class = IssueForm

    class Meta:
        verbose_name = _("newsletter issue")

    def clean(self):
        super().clean()
        # The title is the e-mail subject: refuse line breaks and other control characters
        # (header injection) here, where the editor sees it, not only at send time.
        if any(unicodedata.category(ch) == "Cc" for ch in self.title or ""):
            raise ValidationError({"title": _(
                "The title is the e-mail subject and cannot contain line breaks or other "
                "control characters.")})

    # --- Slugs: a champion's retry never clashes ---------------------------------------
    # Wagtail's autosave makes a draft as soon as a title is typed; starting the issue
    # again with the same title then met "slug already in use" (from its own abandoned
    # draft). Until an issue is first published its address is nobody's yet, so a taken
    # slug becomes the next free one ("november-2", ...) instead of an error. Once
    # published, a slug stays what the editor chose (Wagtail's error, as for every page).

    def slug_may_change(self) -> bool:
        """Never published (a new page counts as such, whatever its `live` default)."""
        return self.first_published_at is None and (self.pk is None or not self.live)

    def _use_free_slug(self, parent) -> None:
        if parent is None or not self.slug or not self.slug_may_change():
            return
        self.slug = self.free_slug(self.slug, parent=parent, page=self)

    @staticmethod
    def free_slug(slug: str, *, parent: Page, page: Page | None = None) -> str:
        """`slug`, or the first of slug-2, slug-3, ... free under `parent`."""
        siblings = parent.get_children()
        if page is not None and page.pk is not None:
            siblings = siblings.not_page(page)
        taken = set(siblings.filter(slug__startswith=slug[:240]).values_list("slug", flat=True))
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            suffix = f"-{n}"
            candidate = slug[:255 - len(suffix)] + suffix
        return candidate

    def _known_parent(self):
        if self.path or getattr(self, "_cached_parent_obj", None):
            return self.get_parent()
        return None

    def minimal_clean(self):
        self._use_free_slug(self._known_parent())
        super().minimal_clean()

    def full_clean(self, *args, **kwargs):
        self._use_free_slug(self._known_parent())
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        texts = [self.title, self.intro]
        for block in self.body:
            if block.block_type == "story":
                texts += [block.value["heading"], block.value["text"].source]
        self.search_text = build_search_text(*texts)
        super().save(*args, **kwargs)

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            from django.http import HttpResponse

            from .emails import render_issue

            html, _text = render_issue(self, recipient=request.user, unsubscribe_url="#")
            return HttpResponse(html)
        return super().serve_preview(request, mode_name)

    def permissions_for_user(self, user):
        return NewsletterPagePermissionTester(user, self)

    @staticmethod
    def sent_within(page: Page):
        """Issues at or under `page` that have been sent. They are never deleted: their
        deliveries record who received what (Send and Delivery protect the issue)."""
        return NewsletterIssuePage.objects.descendant_of(page, inclusive=True).filter(
            send__isnull=False)

    def serve(self, request, *args, **kwargs):
        # Editors' previews are not reads.
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            IssueRead.objects.get_or_create(issue=self, user=request.user)
        return super().serve(request, *args, **kwargs)


class IssueRead(models.Model):
    """A logged-in visit; counted once per person, no tracking pixels."""

    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "user"],
                                               name="newsletter_one_read_per_person")]

    def __str__(self):
        return f"{self.user} read {self.issue}"


class Unsubscription(models.Model):
    """Everyone active is subscribed unless they have a row here."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="newsletter_optout")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} unsubscribed"


class Send(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("preparing")
        SENDING = "sending", _("sending")
        PAUSED = "paused", _("paused")
        DONE = "done", _("done")

    issue = models.OneToOneField(NewsletterIssuePage, on_delete=models.PROTECT,
                                 related_name="send")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARING)
    started_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recipients_frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("send_newsletter", "Can start, pause and retry newsletter sends")]

    def __str__(self):
        return f"Send of {self.issue}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        # Not sent: the recipient left or unsubscribed after the list was frozen.
        SKIPPED = "skipped", _("skipped")

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.PROTECT,
                              related_name="deliveries")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)  # renewed while sending
    # Which worker's batch claimed it (services.send_claim_batch); cleared when recovered.
    claim_token = models.CharField(max_length=32, blank=True, default="", editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "recipient"],
                                               name="newsletter_one_delivery_per_person")]
        indexes = [models.Index(fields=["send", "status"], name="newsletter_delivery_queue")]

    def __str__(self):
        return f"{self.issue} → {self.email} ({self.status})"
