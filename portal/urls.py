from django.conf import settings
from django.conf.urls.static import static
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from champions import views as champions_views
from people import views as people_views
from portal import views

portal_patterns = ([
    # The site's root page, served without Wagtail's routing queries (falls back to it).
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
], "portal")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
    # One login page for the whole site: the Wagtail admin's own login and
    # logout hand over to allauth.
    path("admin/login/", login_not_required(
        RedirectView.as_view(pattern_name="account_login", query_string=True))),
    path("_util/login/", login_not_required(
        RedirectView.as_view(pattern_name="account_login", query_string=True))),
    path("admin/logout/", RedirectView.as_view(pattern_name="account_logout")),
    # Admin views the intranet replaces (tag autocomplete, a report) answer first.
    path("admin/", include("portal.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    # The language switcher works signed out too (the login page has it).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("ideas/", include("ideas.urls")),
    path("champions/", include("champions.urls")),
    # A customer's single-use pulse link: short, and outside the intranet's pages.
    path("p/<str:token>/", champions_views.pulse_public, name="pulse_public"),
    path("onboarding/", include("training.urls")),
    path("subscriptions/", include("newsletter.urls")),
    path("profile/", include("people.urls")),
    path("people/search/", people_views.person_search, name="person_search"),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("", include(portal_patterns)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
