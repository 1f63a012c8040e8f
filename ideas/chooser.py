"""A chooser of decided ideas for the Wagtail admin: champions pick ideas for a
newsletter's "you said, we did" block from the pipeline. It lists only ideas every
employee may see (submitted, not confidential, with a decision), so the chooser never
shows an editor more than the intranet would."""

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
    CreateView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet

from shared.parsing import parse_id
from shared.search import filter_by_text

from . import selectors


class DecidedIdeaFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Search term"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"placeholder": _("Search")}))

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = filter_by_text(objects, query)
            self.is_searching = True
            self.search_query = query
        return objects


class DecidedIdeaChooseMixin:
    filter_form_class = DecidedIdeaFilterForm
    ordering = ("-decided_at", "-pk")

    def can_create(self):
        return False  # ideas are written on the intranet, never from a chooser

    def get_object_list(self):
        return selectors.decided_public_ideas(include_declined=True).select_related(
            "stage", "department")

    @property
    def columns(self):
        return [*super().columns,
                Column("stage", label=_("Stage"), accessor="stage"),
                Column("department", label=_("Department"), accessor="department"),
                DateColumn("decided_at", label=_("Decided"))]


class DecidedIdeaChooseView(DecidedIdeaChooseMixin, ChooseView):
    pass


class DecidedIdeaChooseResultsView(DecidedIdeaChooseMixin, ChooseResultsView):
    pass


# Wagtail's own chosen views look any idea up by id; these answer only for the ideas the
# chooser lists, so a typed-in id of a confidential idea gets a 404, not its title.
# Ids come from the URL and the query string as text: anything that is not an id is
# unknown (404, or left out), never a database error.
class DecidedIdeaChosenView(ChosenView):
    def get_object(self, pk):
        if (pk := parse_id(pk)) is None:
            raise Http404
        idea = selectors.decided_public_ideas(include_declined=True).filter(pk=pk).first()
        if idea is None:
            raise Http404
        return idea


class DecidedIdeaChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks):
        pks = [pk for pk in map(parse_id, pks) if pk is not None]
        return selectors.decided_public_ideas(include_declined=True).filter(pk__in=pks)


class NoCreateView(CreateView):
    def can_create(self):
        return False


class DecidedIdeaChooserViewSet(ChooserViewSet):
    model = "ideas.Idea"
    icon = "tick"
    choose_one_text = _("Choose a decided idea")
    choose_another_text = _("Choose another idea")
    page_title = _("Decided ideas")
    choose_view_class = DecidedIdeaChooseView
    choose_results_view_class = DecidedIdeaChooseResultsView
    chosen_view_class = DecidedIdeaChosenView
    chosen_multiple_view_class = DecidedIdeaChosenMultipleView
    create_view_class = NoCreateView
    per_page = 20
    # Idea foreign keys elsewhere in the admin keep their own widgets.
    register_widget = False


decided_idea_chooser_viewset = DecidedIdeaChooserViewSet("decided_idea_chooser",
                                                         url_prefix="ideas/choose-decided")
