"""Idempotent set-up of an app's place in the page tree: its index page under the
site's root page, and the page permissions groups get there (used after migrate)."""

from django.contrib.auth.models import Permission


def ensure_index_page(model, **fields):
    """The one page of `model` (an index page type), created under the default site's
    root page and published if missing. None while there is no site yet."""
    from wagtail.models import Site

    existing = model.objects.first()
    if existing is not None:
        return existing
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or site.root_page is None:
        return None
    page = site.root_page.add_child(instance=model(**fields))
    page.save_revision().publish()
    return page


def grant_page_permissions(*, page, group, codenames) -> None:
    """Give `group` Wagtail's page permissions (add_page, change_page...) on `page` and
    below; granting twice changes nothing."""
    from wagtail.models import GroupPagePermission

    if group is None:
        return
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page,
            permission=Permission.objects.get(content_type__app_label="wagtailcore",
                                              codename=codename))
