from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import User
from shared.parsing import IdField, IdModelChoiceField, IdModelMultipleChoiceField

from .models import ModulePage, OnboardingPath


class EnrolForm(forms.Form):
    users = IdModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("display_name"),
        label=_("People"), widget=forms.SelectMultiple(attrs={"size": 10}))
    path = IdModelChoiceField(queryset=OnboardingPath.objects.all(), required=False,
                              label=_("Onboarding path"))
    module = IdModelChoiceField(queryset=ModulePage.objects.live(), required=False,
                                label=_("Or a single module"))
    due_on = forms.DateField(required=False, label=_("Due on (single module)"),
                             widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].label_from_instance = lambda u: f"{u.name} <{u.email}>"

    def clean(self):
        data = super().clean()
        if not data.get("path") and not data.get("module"):
            raise forms.ValidationError(_("Choose a path or a module."))
        return data


class ReportFilterForm(forms.Form):
    # An id, not a model choice: a well-formed id of no department is a 404, as for
    # any other unknown object.
    department = IdField(required=False)
