from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shared.i18n import set_language_cookie

from . import services
from .forms import ProfileForm
from .models import User


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
            response = redirect("people:profile")
            set_language_cookie(response, request.user.preferred_language)
            return response
    # ModelForm.is_valid() writes the posted values onto the instance; reload so the
    # header does not show unsaved values.
    request.user.refresh_from_db()
    return render(request, "people/profile.html", {"form": form},
                  status=400 if form.errors else 200)


class PersonSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, strip=True)


SEARCH_RESULTS = 10


@require_GET
def person_search(request):
    """Suggestions for the person chooser (people.choosers): active people whose name or
    address contains the typed text. Only what the nomination and enrolment forms
    showed before in their lists: name, address, department."""
    form = PersonSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    if len(text) < 2:
        return JsonResponse({"results": []})
    people = (User.objects.filter(is_active=True)
              .filter(Q(display_name__icontains=text) | Q(email__icontains=text))
              .select_related("department").order_by("display_name", "email")
              [:SEARCH_RESULTS])
    return JsonResponse({"results": [
        {"value": person.email, "name": person.name,
         "detail": " · ".join(filter(None, [person.email,
                                             str(person.department or "")]))}
        for person in people]})
