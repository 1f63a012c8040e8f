from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from people import services
from portal.health import health_report
from shared.spreadsheets import csv_cell


@login_not_required
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; the icon is a static file
    (resolved here, at request time, through the static files manifest)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@login_not_required
@never_cache
@require_GET
def healthz(request):
    # Only two scopes; anything else is the full report (nothing to parse or refuse).
    body, status = health_report(scope="web" if request.GET.get("scope") == "web" else "all")
    return JsonResponse(body, status=status)


@require_GET
def dashboard(request):
    import csv

    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from people.models import Department
    from portal import dashboard as figures
    from shared.l10n import format_calendar_month

    if not request.user.has_perm("people.view_programme_dashboard"):
        raise PermissionDenied
    form = figures.DashboardFilterForm(request.GET, default=figures.default_period())
    if not form.is_valid():
        errors = " ".join(m for field_errors in form.errors.values() for m in field_errors)
        return HttpResponseBadRequest(_("Invalid filter: %(f)s") % {"f": errors},
                                      content_type="text/plain; charset=utf-8")
    start, end = form.period()
    department = form.cleaned_data["department"]
    data = figures.programme_figures(start=start, end=end, department=department,
                                     refresh=bool(request.GET.get("refresh")))
    ideas = data["ideas"]
    export = request.GET.get("export")
    tables = {
        "ideas_per_month": (["month", "ideas"], [(r["month"].strftime("%Y-%m"), r["n"])
                                                  for r in ideas["per_month"]]),
        "funnel": (["stage", "ideas"], [(r["stage"].label, r["n"]) for r in ideas["funnel"]]),
        "overdue": (["department", "overdue ideas"],
                    [(r["department"].name if r["department"] else "", r["n"])
                     for r in ideas["overdue"]]),
        "implemented": (["metric", "implemented ideas"],
                        [(r["metric"], r["n"]) for r in ideas["implemented_by_metric"]]),
        "campaigns": (["campaign", "ideas", "decided", "accepted", "implemented"],
                      [(r["title"], r["total"], r["decided"], r["accepted"], r["implemented"])
                       for r in data["campaigns"]]),
        "impact": (IMPACT_HEADER[:1] + ["campaign"] + IMPACT_HEADER[1:],
                   [(r["department"].name if r["department"] else "", "", *_impact_cells(r))
                    for r in data["impact"]["by_department"]]
                   + [("", r["campaign"], *_impact_cells(r))
                      for r in data["impact"]["by_campaign"]]),
        "insights": (INSIGHT_HEADER,
                     [(r["department"].name if r["department"] else "", *_insight_cells(r))
                      for r in data["insights"]["by_department"]]),
        "insights_per_month": (["month", *INSIGHT_HEADER[1:]],
                               [(r["month"].strftime("%Y-%m"), *_insight_cells(r))
                                for r in data["insights"]["by_month"]]),
    }
    if export == "impact_measurements":
        # Every measurement of the period, live: one row per idea the reader may open.
        tables[export] = _measurement_rows(request.user, figures.measured_impacts(
            start=start, end=end, department=department))
    if export:
        if export not in tables:
            return HttpResponseBadRequest(_("Unknown export."))
        header, rows = tables[export]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_cell(c) for c in row])
        return response
    impact = _labelled(data["impact"])
    # Counted per Gregorian month; labelled in the reader's calendar (shared.l10n).
    month_rows = [{"label": format_calendar_month(r["month"]),
                   "short": format_calendar_month(r["month"], spans=False), "n": r["n"]}
                  for r in ideas["per_month"]]
    insight_months = [{**r, "label": format_calendar_month(r["month"]),
                       "short": format_calendar_month(r["month"], spans=False)}
                      for r in data["insights"]["by_month"]]
    context = {
        "ideas": ideas, "start": start, "end": end, "department": department,
        "month_rows": month_rows,
        "departments": Department.objects.all(),
        "champions": data["champions"],
        "onboarding": data["onboarding"],
        "campaigns": data["campaigns"],
        "impact": impact,
        "insights": data["insights"], "insight_months": insight_months,
        "newsletter": data["newsletter"],
        "computed_at": data["computed_at"],
        "charts": {
            "per_month": figures.line_chart(month_rows, label="short", value="n"),
            "insights": figures.line_chart(insight_months, label="short", value="share"),
            "funnel": figures.bar_chart([{"label": r["stage"].label, "n": r["n"]}
                                         for r in ideas["funnel"]], label="label", value="n",
                                        funnel=True),
            "improved": figures.bar_chart(
                [{"label": r["metric_label"], "n": r["improved"]}
                 for r in impact["by_metric"]], label="label", value="n"),
            "overdue": figures.bar_chart(
                [{"label": r["department"] and r["department"].name, "n": r["n"]}
                 for r in ideas["overdue"]], label="label", value="n"),
        },
        # Links (CSV, refresh) keep the filters but never carry refresh/export along.
    }
    return render(request, "portal/dashboard.html", context)


INSIGHT_HEADER = ["department", "insights logged", "answered within 24 working hours",
                  "answered late or overdue", "clock still running",
                  "share within target (%)"]


def _insight_cells(row) -> tuple:
    return (row["logged"], row["in_time"], row["late"], row["waiting"],
            "" if row["share"] is None else row["share"])


IMPACT_HEADER = ["department", "metric", "unit", "ideas measured", "average before",
                 "average after", "total change", "average change", "improved"]


def _labelled(impact: dict) -> dict:
    """The cached impact rows with their metric's name in the reader's language."""
    from ideas.models import Metric

    labels = dict(Metric.choices)
    return {group: [{**row, "metric_label": labels.get(row["metric"], row["metric"])}
                    for row in rows] for group, rows in impact.items()}


def _impact_cells(row) -> tuple:
    def number(value):
        # A number, not text: a text cell starting with "-" would be neutralised.
        return "" if value is None else float(round(value, 2))

    return (row["metric"], row["unit"], row["n"], number(row["before"]),
            number(row["after"]), number(row["change"]), number(row["average_change"]),
            row["improved"])


def _measurement_rows(user, measurements) -> tuple[list, list]:
    from ideas.selectors import viewable_ideas

    rows = (measurements.filter(idea__in=viewable_ideas(user).values("pk"))
            .select_related("idea__department", "idea__campaign")
            .order_by("measured_on", "pk"))
    return (["idea", "title", "department", "campaign", "metric", "unit", "baseline",
             "target", "measured", "measured on", "improved", "method"],
            [(m.idea_id, m.idea.title, m.idea.department.name if m.idea.department else "",
              m.idea.campaign.title if m.idea.campaign else "", m.metric, m.unit,
              m.baseline, "" if m.target is None else m.target, m.measured,
              m.measured_on.isoformat(), "yes" if m.improved else "no", m.method)
             for m in rows.iterator(chunk_size=500)])


@login_not_required
def set_language(request):
    """Django's language switch; for a signed-in person it also becomes the profile's
    preferred language, so the next sign-in does not switch back."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    user = request.user
    if (user.is_authenticated and language in dict(settings.LANGUAGES)
            and user.preferred_language != language):
        services.user_update_profile(user=user, actor=user, preferred_language=language)
    return response


# --- Home ("/") ---------------------------------------------------------------------------
# The home page is the site's root page. Wagtail's serve() spends four queries before the
# page's own content (the site, its root page, the root's ancestors, their view
# restrictions), so "/" is served here with one: the site comes from the shared cache
# (shared configuration, kept briefly), the page and "is any view restriction on it or
# above it" from one query. Anything unusual (the root is not a live HomePage, a view
# restriction, an alias, Wagtail's i18n) goes through Wagtail's serve() as before.
HOME_SITE_SECONDS = 60


def home(request):
    from wagtail.views import serve

    page = _home_page(request)
    if page is None:
        return serve(request, "")
    return _serve_home(request, page)


def _home_site(request):
    """Wagtail's Site.find_for_request(), kept in the shared cache for HOME_SITE_SECONDS
    (the host was validated against ALLOWED_HOSTS by CommonMiddleware)."""
    from django.core.cache import cache
    from wagtail.models import Site

    key = f"portal:home-site:{request.get_host()}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None:
            cache.set(key, site, HOME_SITE_SECONDS)
    request._wagtail_site = site  # where Wagtail keeps it for the rest of the request
    return site


def _home_page(request):
    from django.db.models import Exists, OuterRef, Q
    from wagtail.models import PageViewRestriction

    from portal.models import HomePage

    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    site = _home_site(request)
    if site is None:
        return None
    # A root page (depth 2) has one ancestor, the tree's root (depth 1), never an alias.
    restricted = PageViewRestriction.objects.filter(Q(page=OuterRef("pk")) | Q(page__depth=1))
    return (HomePage.objects.filter(pk=site.root_page_id, live=True, depth=2,
                                    alias_of__isnull=True)
            .annotate(restricted=Exists(restricted)).filter(restricted=False).first())


def _serve_home(request, page):
    """What wagtail.views.serve() does once it has the page, without the view-restriction
    check (_home_page found none)."""
    from django.http import HttpResponse
    from wagtail import hooks
    from wagtail.url_routing import RouteResult
    from wagtail.views import serve_chain
    from wagtail.wagtail_hooks import check_view_restrictions

    route = request._wagtail_route_for_request = RouteResult(page)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, route.args, route.kwargs)
        if isinstance(result, HttpResponse):
            return result
    _load_person(request)
    chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        if fn is not check_view_restrictions:
            chain = fn(chain)
    return chain(page, request, route.args, route.kwargs)


def _load_person(request) -> None:
    """The signed-in person's department, unread notifications, roles and permissions in
    one query (a UNION), put where Django and the templates look for them: the user's
    department, its prefetched groups (user.role_labels), the permission caches of
    Django's ModelBackend (user.has_perm, {{ perms }}), and the header's unread count
    (portal.context_processors). Read fresh on every request: nothing here is cached."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import CharField, Count, OuterRef, Subquery, Value
    from django.db.models.functions import Cast, Coalesce

    from notifications.models import Notification
    from people.models import Department, User
    from shared.translated import DEFAULT_LANGUAGE, localized, localized_value

    user = request.user
    if not user.is_authenticated:
        return
    text = CharField()
    unread = (Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
              .order_by().values("recipient").annotate(n=Count("pk")).values("n"))
    me = User.objects.filter(pk=user.pk).order_by().values_list(
        Value("me"), Cast("department_id", text), localized_value("department__name"),
        Cast(Coalesce(Subquery(unread), 0), text))
    groups = Group.objects.filter(user=user).order_by().values_list(
        Value("group"), Cast("pk", text), "name", Value(""))
    group_perms = Permission.objects.filter(group__user=user).order_by().values_list(
        Value("group_perm"), "content_type__app_label", "codename", Value(""))
    own_perms = Permission.objects.filter(user=user).order_by().values_list(
        Value("user_perm"), "content_type__app_label", "codename", Value(""))
    rows = me.union(groups, group_perms, own_perms, all=True)

    found = {"group": [], "group_perm": set(), "user_perm": set()}
    department, unread_count = None, 0
    for kind, a, b, c in rows:
        if kind == "me":
            department, unread_count = ((int(a), b) if a else None), int(c)
        elif kind == "group":
            found["group"].append(Group.from_db(rows.db, ["id", "name"], [int(a), b]))
        else:
            found[kind].add(f"{a}.{b}")

    request._unread_notifications = unread_count
    if department is not None:
        # The name read is the reader's language's (or English): both columns hold it.
        department_id, name = department
        user.department = Department.from_db(
            rows.db, ["id", localized("name"), localized("name", DEFAULT_LANGUAGE)],
            [department_id, name, name])
    prefetched = user.groups.get_queryset()
    prefetched._result_cache, prefetched._prefetch_done = found["group"], True
    user._prefetched_objects_cache = {**getattr(user, "_prefetched_objects_cache", {}),
                                      "groups": prefetched}
    # ModelBackend's caches (a superuser's are every permission: left to the backend).
    if user.is_active and not user.is_superuser:
        user._user_perm_cache = found["user_perm"]
        user._group_perm_cache = found["group_perm"]
        user._perm_cache = found["user_perm"] | found["group_perm"]


@require_GET
def search(request):
    """One search box for the whole intranet (portal.search)."""
    from portal.search import SearchForm, search_everything
    from shared.search import marked_terms, query_terms

    form = SearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "portal/search.html", {"form": form, "sections": None},
                      status=400)
    data = form.cleaned_data if form.is_bound else {}
    sections = search_everything(user=request.user, query=data.get("q", ""),
                                 kind=data.get("kind", ""))
    return render(request, "portal/search.html", {
        "form": form, "sections": sections, "query": data.get("q", ""),
        "kind": data.get("kind", ""), "total": sum(s.count for s in sections),
        "terms": marked_terms(query_terms(data.get("q", "")))})
