"""The newsletter issue's form in the Wagtail admin."""

from wagtail.admin.forms import WagtailAdminPageForm


class IssueForm(WagtailAdminPageForm):
    """Wagtail's page form, except that an issue never published takes the next free
    slug when the one typed (or made from the title) is taken under the archive, rather
    than refusing to save: see NewsletterIssuePage._use_free_slug."""

    def clean(self):
        slug = self.cleaned_data.get("slug")
        page = self.instance
        if slug and self.parent_page is not None and page.slug_may_change():
            self.cleaned_data["slug"] = type(page).free_slug(
                slug, parent=self.parent_page, page=page)
        return super().clean()
