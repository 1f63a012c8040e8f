from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shared.i18n import set_language_cookie

from . import services
from .forms import ProfileForm


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
