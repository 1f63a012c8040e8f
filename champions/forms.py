import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from people.choosers import PersonField
from people.models import Channel, CustomerSegment, Department, User
from shared.parsing import IdField, IdModelChoiceField, IdModelChoiceFilter
from shared.search import MAX_QUERY_LENGTH, filter_by_text

from .models import Insight, InsightStatus, Nomination, Sentiment


def people():
    return User.objects.filter(is_active=True)


class NominationForm(forms.Form):
    nominee = PersonField(queryset=User.objects.none(), label=_("Who?"),
                          help_text=_("A colleague, or yourself: type a name and choose, "
                                      "or type their e-mail address."))
    department = IdModelChoiceField(queryset=Department.objects.all(),
                                    label=_("For which department?"))
    reason = forms.CharField(label=_("Why this person?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = people()


class DecisionForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"
    decision = forms.ChoiceField(label=_("Decide"), choices=[
        (APPROVE, _("Approve: start a term")), (DECLINE, _("Decline"))])
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class NominationStatusForm(forms.Form):
    """The nominations list's status tab: open when none is asked for; an empty or
    unknown one lists every status (an unknown one with the form's error shown)."""

    status = forms.ChoiceField(choices=Nomination.Status.choices, required=False,
                               label=_("Status"))

    @classmethod
    def from_query(cls, query):
        return cls(query if "status" in query else {"status": Nomination.Status.OPEN})

    def chosen_status(self) -> str | None:
        """The status to list, or None for all of them."""
        return (self.cleaned_data.get("status") or None) if self.is_valid() else None


class TermActionForm(forms.Form):
    RENEW, END = "renew", "end"
    action = forms.ChoiceField(label=_("Actions"),
                               choices=[(RENEW, _("Renew")), (END, _("End now"))])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class HandoverForm(forms.Form):
    successor = PersonField(queryset=User.objects.none(), label=_("Successor"),
                            help_text=_("Type a name and choose, or type their e-mail "
                                        "address."))
    note = forms.CharField(label=_("Handover note"), max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("What your successor should know: open ideas, "
                                       "customers to call back, what worked."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = people()


class InsightForm(forms.ModelForm):
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500,
                           help_text=_("Separate tags with commas."))
    idea_number = IdField(label=_("Idea it inspired (number, optional)"), required=False)

    class Meta:
        model = Insight
        fields = ["text", "customer_segment", "channel", "sentiment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}),
                   "sentiment": forms.RadioSelect}
        help_texts = {"text": _("What did you learn from a customer conversation? "
                                "At most 1000 characters.")}
        field_classes = {"customer_segment": IdModelChoiceField, "channel": IdModelChoiceField}

    def tag_list(self):
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class InsightAnswerForm(forms.Form):
    """Move an insight on: the choices are where its status may go next."""

    status = forms.ChoiceField(label=_("Now"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was done"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("The person who logged it reads this. Needed to act "
                                       "on or close it."))

    def __init__(self, *args, insight: Insight, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in Insight.NEXT[
            InsightStatus(insight.status)]]


class InsightReassignForm(forms.Form):
    owner = PersonField(queryset=User.objects.none(), label=_("New owner"),
                        help_text=_("Type a name and choose, or type their e-mail address."))
    note = forms.CharField(label=_("Note for them"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()


class InsightQueueForm(forms.Form):
    """Whose open insights to list: the reader's own, by default; a manager may list
    those nobody owns, or everyone's."""

    MINE, UNOWNED, ALL = "mine", "unowned", "all"
    owner = forms.ChoiceField(label=_("Owner"), required=False, choices=[
        (MINE, _("Mine")), (UNOWNED, _("Nobody")), (ALL, _("Anyone"))])
    department = IdModelChoiceField(queryset=Department.objects.all(), required=False,
                                    label=_("Department"))


class InsightFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  max_length=MAX_QUERY_LENGTH)
    department = IdModelChoiceFilter(queryset=Department.objects.all(), label=_("Department"))
    segment = IdModelChoiceFilter(field_name="customer_segment",
                                  queryset=CustomerSegment.objects.all(), label=_("Customer"))
    channel = IdModelChoiceFilter(queryset=Channel.objects.all(), label=_("Channel"))
    sentiment = django_filters.ChoiceFilter(choices=Sentiment.choices, label=_("Sentiment"))
    status = django_filters.ChoiceFilter(choices=InsightStatus.choices, label=_("Status"))
    tag = django_filters.CharFilter(field_name="tags__slug", label=_("Tag"), max_length=100,
                                    distinct=True)

    class Meta:
        model = Insight
        fields = []

    def search(self, queryset, name, value):
        return filter_by_text(queryset, value)


class RosterFilterForm(forms.Form):
    STATUS = [("active", _("Active")), ("upcoming", _("Starting later")), ("past", _("Past")),
              ("all", _("All"))]
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    department = IdModelChoiceField(queryset=Department.objects.all(), required=False,
                                    label=_("Department"))
    status = forms.ChoiceField(choices=STATUS, required=False, label=_("Status"))


class PulseAnswerForm(forms.Form):
    """One field per question of the survey (q<id>), none required: the service asks for
    at least one answer and checks each against its question."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            if question.scale:
                low, high = question.scale
                self.fields[name] = forms.ChoiceField(
                    label=question.text, required=False, widget=forms.RadioSelect(
                        attrs={"class": "scale"}),
                    choices=[(str(v), str(v)) for v in range(low, high + 1)],
                    help_text={"nps": _("0 = not at all likely, 10 = extremely likely"),
                               "csat": _("1 = very dissatisfied, 5 = very satisfied"),
                               "ces": _("1 = very difficult, 7 = very easy")}[question.kind])
            elif question.kind == question.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text, required=False, widget=forms.RadioSelect,
                    choices=[(c, c) for c in question.choice_list])
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, required=False, max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}))

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") or "" for q in self.questions}


class PulseLinksForm(forms.Form):
    count = forms.IntegerField(label=_("How many links"), min_value=1, max_value=500,
                               initial=50)
