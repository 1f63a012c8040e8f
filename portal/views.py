from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from people import services
from portal.health import health_report
from shared.spreadsheets import csv_cell


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
    from django.utils.formats import date_format

    from people.models import Department
    from portal import dashboard as figures

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
