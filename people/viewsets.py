import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.users.views.users import IndexView as UserIndexView
from wagtail.users.views.users import UserFilterSet, UserViewSet

from people.models import Department

from .forms import WagtailUserCreationForm, WagtailUserEditForm


class DepartmentFilterSet(WagtailFilterSet):
    class Meta:
        model = Department
        fields = ["parent"]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    menu_order = 610
    add_to_settings_menu = True
    list_display = ["name", "parent", "head_count"]
    search_fields = ["name"]
    filterset_class = DepartmentFilterSet
    ordering = ["name"]


class PortalUserFilterSet(UserFilterSet):
    department = django_filters.ModelMultipleChoiceFilter(
        queryset=Department.objects.all(), label=_("Department"),
    )

    class Meta(UserFilterSet.Meta):
        fields = ["department"]


class PortalUserIndexView(UserIndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns.insert(3, Column("department", label=_("Department"), accessor="department"))
        return columns

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("department")


class PortalUserViewSet(UserViewSet):
    filterset_class = PortalUserFilterSet
    index_view_class = PortalUserIndexView

    def get_form_class(self, for_update=False):
        return WagtailUserEditForm if for_update else WagtailUserCreationForm
