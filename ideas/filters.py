import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from people.models import CustomerSegment, Department, JourneyStage, User
from shared.parsing import IdModelChoiceFilter, parse_id
from shared.search import MAX_QUERY_LENGTH, marked_terms, query_terms

from .models import CampaignPage, Idea, Metric, Stage
from .search import Corrections
from .selectors import overdue_q, search_ideas


class IdeaFilterSet(django_filters.FilterSet):
    """Filters for the idea list and the export; invalid values make the form invalid
    (the view answers 400), never a server error."""

    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  max_length=MAX_QUERY_LENGTH)
    stage = IdModelChoiceFilter(queryset=Stage.objects.all(), label=_("Stage"))
    department = IdModelChoiceFilter(queryset=Department.objects.all(), label=_("Department"))
    metric = django_filters.ChoiceFilter(choices=Metric.choices, label=_("Metric"))
    segment = IdModelChoiceFilter(field_name="customer_segment",
                                  queryset=CustomerSegment.objects.all(), label=_("Customer"))
    journey_stage = IdModelChoiceFilter(queryset=JourneyStage.objects.all(),
                                        label=_("Journey stage"))
    campaign = IdModelChoiceFilter(queryset=CampaignPage.objects.live().order_by("-closes_on"),
                                   label=_("Campaign"))
    tag = django_filters.CharFilter(field_name="tags__slug", label=_("Tag"), max_length=100,
                                    distinct=True)
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Submitted from"),
        widget=forms.DateInput(attrs={"type": "date"}))
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Submitted until"),
        widget=forms.DateInput(attrs={"type": "date"}))
    sponsor = IdModelChoiceFilter(
        # EXISTS, not a join + DISTINCT over every idea with a sponsor (which grew with
        # the archive: ~0.5 s at 100,000 ideas).
        queryset=User.objects.filter(Exists(Idea.objects.filter(sponsor=OuterRef("pk")))),
        label=_("Owner / sponsor"))
    sort = django_filters.OrderingFilter(
        label=_("Sort by"), empty_label=None,
        choices=[("relevance", _("Best match")), ("newest", _("Newest")),
                 ("supported", _("Most supported")), ("decided", _("Recently decided"))],
        method="sort_by",
    )

    default_sort = "newest"
    # With a search, the list comes best match first unless another order is chosen.
    ranks_searches = True
    # The query as corrected for typos, when a term was (search()).
    corrections = Corrections()
    # The words to mark in the results: the terms as typed and their corrections.
    marks: tuple[str, ...] = ()

    class Meta:
        model = Idea
        fields = []

    def filter_queryset(self, queryset):
        # The list's order is always one of SORTS (ending in the primary key, which keyset
        # paging needs), also when only other filters or a page cursor are given.
        self.searched = False
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.sort_by(queryset, "sort", None)
        return queryset

    def search(self, queryset, name, value):
        queryset, self.corrections = search_ideas(queryset, value)
        self.marks = marked_terms([
            *query_terms(value),
            *(word for words in self.corrections.by_term.values() for word in words)])
        self.searched = "search_rank" in queryset.query.annotations
        return queryset

    def sort_by(self, queryset, name, value):
        key = value[0] if value else None
        if key is None:
            key = "relevance" if self.ranks_searches and self.searched else self.default_sort
        if key == "relevance":
            if self.searched:
                return queryset.order_by(*RELEVANCE)
            key = self.default_sort
        return queryset.order_by(*SORTS.get(key, SORTS[self.default_sort]))


# With a search (the queryset is annotated with search_rank: selectors.search_ideas).
RELEVANCE = ["-search_rank", "-submitted_at", "-pk"]

SORTS = {
    "newest": ["-submitted_at", "-pk"],
    "supported": ["-support_count", "-submitted_at", "-pk"],
    "decided": [F("decided_at").desc(nulls_last=True), "-pk"],
    "oldest": ["stage_entered_at", "pk"],
    "priority": [F("priority_score").desc(nulls_last=True), "stage_entered_at", "pk"],
}


class QueueFilterSet(IdeaFilterSet):
    # "me", "none" or a reviewer's id.
    assignee = django_filters.CharFilter(method="by_assignee", label=_("Assigned to"))
    overdue = django_filters.BooleanFilter(method="only_overdue", label=_("Overdue only"),
                                           widget=forms.CheckboxInput)
    sort = django_filters.OrderingFilter(
        label=_("Sort by"), empty_label=None,
        choices=[("oldest", _("Waiting longest")), ("priority", _("Priority score")),
                 ("newest", _("Newest")), ("supported", _("Most supported"))],
        method="sort_by",
    )
    default_sort = "oldest"
    ranks_searches = False

    def by_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if (pk := parse_id(value)) is not None:
            return queryset.filter(assignee_id=pk)
        return queryset.none()

    def only_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset
