from django import forms
from django.utils.translation import gettext_lazy as _

from people.choosers import PeopleField
from people.models import User
from shared.parsing import IdField, IdModelChoiceField

from .grading import ANSWERS_DO_NOT_MATCH, QuizError, quiz_check_answers
from .models import ModulePage, OnboardingPath


class EnrolForm(forms.Form):
    users = PeopleField(
        queryset=User.objects.filter(is_active=True), label=_("People"),
        help_text=_("Type a name and choose, or type e-mail addresses, one per line."))
    path = IdModelChoiceField(queryset=OnboardingPath.objects.all(), required=False,
                              label=_("Onboarding path"))
    module = IdModelChoiceField(queryset=ModulePage.objects.live(), required=False,
                                label=_("Or a single module"))
    due_on = forms.DateField(required=False, label=_("Due on (single module)"),
                             widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if not data.get("path") and not data.get("module"):
            raise forms.ValidationError(_("Choose a path or a module."))
        return data


class ReportFilterForm(forms.Form):
    # An id, not a model choice: a well-formed id of no department is a 404, as for
    # any other unknown object.
    department = IdField(required=False)
    # Nothing: the page; csv: every overdue enrolment as CSV.
    format = forms.ChoiceField(required=False, choices=[("", ""), ("csv", "CSV")])

    REFUSALS = {"department": _("Unknown department."), "format": _("Unknown export.")}

    def refusal(self) -> str:
        """One clear sentence per refused parameter (the answer is plain text)."""
        return " ".join(str(self.REFUSALS[name]) for name in self.errors)


class AnswerField(forms.MultipleChoiceField):
    """The choices ticked for one question; empty values (a blank radio) are no answer."""

    def to_python(self, value):
        return [v for v in super().to_python(value) if v]


class QuizForm(forms.Form):
    """A quiz page's post: its one-time token, and one `q-<question id>` field per
    question whose values must be that question's choice ids. The answers are checked
    as a whole by training.grading (every question answered, one choice where one is
    asked, no unknown question) before the service grades them."""

    attempt_token = forms.RegexField(
        regex=r"\A[0-9a-f]{32}\Z", error_messages=dict.fromkeys(
            ("required", "invalid"), _("This quiz form is out of date; your answers were not "
                                       "recorded. Check them and submit again.")))

    def __init__(self, *args, module, **kwargs):
        super().__init__(*args, **kwargs)
        self.module = module
        for question in module.quiz:
            self.fields[f"q-{question.id}"] = AnswerField(
                required=False, choices=[(c.id, c.id) for c in
                                         question.value["choices"].bound_blocks],
                error_messages={"invalid_choice": ANSWERS_DO_NOT_MATCH,
                                "invalid_list": ANSWERS_DO_NOT_MATCH})

    def unknown_questions(self) -> list[str]:
        return [key for key in self.data if key.startswith("q-") and key not in self.fields]

    def clean(self):
        data = super().clean()
        if self.unknown_questions():
            raise forms.ValidationError(ANSWERS_DO_NOT_MATCH)
        if any(name.startswith("q-") for name in self.errors):
            return data
        try:
            quiz_check_answers(self.module, self.answers())
        except QuizError as exc:
            raise forms.ValidationError(exc.messages) from None
        return data

    def answers(self) -> dict[str, list[str]]:
        """{question id: [choice ids]} of the valid answers given."""
        return {name[2:]: self.cleaned_data[name] for name in self.fields
                if name.startswith("q-") and self.cleaned_data.get(name)}

    def chosen(self) -> dict[str, list[str]]:
        """What to tick again when the page is shown back: the offered choices ticked."""
        chosen = {}
        for name, field in self.fields.items():
            if name.startswith("q-"):
                offered = {str(value) for value, _label in field.choices}
                chosen[name[2:]] = [v for v in self.data.getlist(name) if v in offered]
        return chosen

    def all_errors(self) -> list[str]:
        """Every distinct error, in order (one forged choice per question would repeat)."""
        return list(dict.fromkeys(m for errors in self.errors.values() for m in errors))
