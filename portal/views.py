from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import notifications, services
from .forms import NotificationReadForm, NotificationSettingsForm, ProfileForm
from .health import health_report
from .i18n import set_language_cookie
from .spreadsheets import csv_cell


@login_not_required
@never_cache
@require_GET
def healthz(request):
    # Only two scopes; anything else is the full report (nothing to parse or refuse).
    body, status = health_report(scope="web" if request.GET.get("scope") == "web" else "all")
    return JsonResponse(body, status=status)


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(
                user=request.user, actor=request.user,
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except (ValueError, ValidationError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your profile was saved."))
            response = redirect("portal:profile")
            set_language_cookie(response, request.user.preferred_language)
            return response
    # ModelForm.is_valid() writes the posted values onto the instance; reload so the
    # header does not show unsaved values.
    request.user.refresh_from_db()
    return render(request, "portal/profile.html", {"form": form},
                  status=400 if form.errors else 200)


def notification_settings(request):
    user = request.user
    initial = {"email_delivery": user.email_delivery,
               "email_topics": [t for t in notifications.TOPICS
                                if t not in (user.email_muted_topics or [])]}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["email_topics"])
        notifications.notification_settings_update(
            user=user, actor=user, email_delivery=form.cleaned_data["email_delivery"],
            muted_topics=[t for t in notifications.TOPICS if t not in chosen])
        messages.success(request, _("Your notification settings were saved."))
        return redirect("portal:notification_settings")
    return render(request, "portal/notification_settings.html", {"form": form},
                  status=400 if form.errors else 200)


@require_GET
def notification_list(request):
    qs = request.user.notifications.select_related("actor")
    try:
        page = Paginator(qs, 30).page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404 from exc
    return render(request, "portal/notifications.html", {"page": page})


@require_POST
def notification_read(request):
    form = NotificationReadForm(request.POST)
    if not form.is_valid():
        # A tampered form: mark nothing rather than guess (no ids would mean "all").
        return HttpResponseBadRequest(_("Unknown notification."),
                                      content_type="text/plain; charset=utf-8")
    ids = form.cleaned_data["id"] or None
    notifications.notification_mark_read(user=request.user, ids=ids)
    target = request.POST.get("next", "")
    # Only local paths: never an open redirect.
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return redirect(target)
    return redirect("portal:notifications")


def _without(query, *names) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_GET
def dashboard(request):
    import csv

    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse
    from django.utils.formats import date_format

    from . import dashboard as figures
    from .models import Department

    if not request.user.has_perm("portal.view_programme_dashboard"):
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
                    [(r["department__name"] or "", r["n"]) for r in ideas["overdue"]]),
        "implemented": (["metric", "implemented ideas"],
                        [(r["metric"], r["n"]) for r in ideas["implemented_by_metric"]]),
    }
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
    month_rows = [{"label": date_format(r["month"], "M Y"), "n": r["n"]}
                  for r in ideas["per_month"]]
    context = {
        "ideas": ideas, "start": start, "end": end, "department": department,
        "departments": Department.objects.all(),
        "champions": data["champions"],
        "onboarding": data["onboarding"],
        "newsletter": data["newsletter"],
        "computed_at": data["computed_at"],
        "charts": {
            "per_month": figures.line_chart(month_rows, label="label", value="n"),
            "funnel": figures.bar_chart([{"label": r["stage"].label, "n": r["n"]}
                                         for r in ideas["funnel"]], label="label", value="n",
                                        funnel=True),
            "overdue": figures.bar_chart([{"label": r["department__name"], "n": r["n"]}
                                          for r in ideas["overdue"]], label="label", value="n"),
        },
        # Links (CSV, refresh) keep the filters but never carry refresh/export along.
        "filter_query": _without(request.GET, "refresh", "export"),
    }
    return render(request, "portal/dashboard.html", context)


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
