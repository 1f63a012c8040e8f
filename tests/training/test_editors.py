"""Training editors write modules in the Wagtail admin (revisions, preview) and submit
them for a Programme admin's approval; other employees cannot edit onboarding content."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupApprovalTask, GroupPagePermission, WorkflowState, WorkflowTask
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from people import roles, services
from tests.factories import UserFactory
from training.models import ModulePage
from training.setup import WORKFLOW_NAME, ensure_training_setup

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def denied(response) -> bool:
    """The admin redirects a PermissionDenied to its dashboard (or the login page)."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith(
            "/accounts/login/")
    return response.status_code == 403


def add_url(index) -> str:
    return reverse("wagtailadmin_pages:add", args=("training", "modulepage", index.pk))


def module_form(title="Complaints we hear most", slug="complaints", **actions) -> dict:
    return nested_form_data({
        "title": title, "slug": slug, "summary": "The five complaints and what is behind "
        "them.", "audience": "New hires", "estimated_minutes": 20, "pass_mark": 70,
        "quiz": streamfield([]), "comments": inline_formset([]), **actions})


@pytest.fixture
def training_editor(db):
    return UserFactory(display_name="Tia Trainer", roles=[roles.EMPLOYEE,
                                                          roles.TRAINING_EDITOR])


def test_a_programme_admin_makes_someone_a_training_editor(programme_admin, employee):
    services.user_set_roles(user=employee, actor=programme_admin,
                            role_names=[roles.TRAINING_EDITOR])
    assert set(employee.groups.values_list("name", flat=True)) == {
        roles.EMPLOYEE, roles.TRAINING_EDITOR}


def test_setup_is_idempotent_and_uses_a_programme_admin_approval(index):
    ensure_training_setup()
    ensure_training_setup()
    workflow = index.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    assert WorkflowTask.objects.filter(workflow=workflow).count() == 1
    task = workflow.tasks.get().specific
    assert isinstance(task, GroupApprovalTask)
    assert [g.name for g in task.groups.all()] == [roles.PROGRAMME_ADMIN]
    editor = Group.objects.get(name=roles.TRAINING_EDITOR)
    assert sorted(GroupPagePermission.objects.filter(group=editor, page=index)
                  .values_list("permission__codename", flat=True)) == [
        "add_page", "change_page", "publish_page"]


def test_training_editor_creates_edits_and_submits_a_module(
        index, training_editor, programme_admin, django_capture_on_commit_callbacks):
    client = client_for(training_editor)
    assert client.get(add_url(index)).status_code == 200
    response = client.post(add_url(index), module_form())
    assert response.status_code == 302
    module = ModulePage.objects.get(slug="complaints")
    assert not module.live
    edit = reverse("wagtailadmin_pages:edit", args=(module.pk,))
    assert client.get(edit).status_code == 200
    response = client.post(edit, module_form(title="Complaints we hear every day"))
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.revisions.count() == 2
    assert module.get_latest_revision_as_object().title == "Complaints we hear every day"
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(module.pk,))
    assert client.post(preview, module_form()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, module_form(**{"action-submit": "Submit"}))
    assert response.status_code == 302
    state = WorkflowState.objects.for_instance(module).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    module.refresh_from_db()
    assert not module.live
    approve = reverse("wagtailadmin_pages:workflow_action",
                      args=(module.pk, "approve", state.current_task_state.pk))
    client.post(approve, {"comment": ""})     # an editor does not approve
    module.refresh_from_db()
    assert not module.live
    with django_capture_on_commit_callbacks(execute=True):
        client_for(programme_admin).post(approve, {"comment": "Good"})
    module.refresh_from_db()
    assert module.live


def test_an_employee_cannot_edit_onboarding_content(index, basics, employee, reviewer):
    for person in (employee, reviewer):
        client = client_for(person)
        assert denied(client.get(add_url(index))), person
        assert denied(client.post(add_url(index), module_form(
            **{"action-submit": "Submit"}))), person
        edit = reverse("wagtailadmin_pages:edit", args=(basics.pk,))
        assert denied(client.get(edit)), person
        assert denied(client.post(edit, module_form(title="Hijacked"))), person
    assert not ModulePage.objects.filter(slug="complaints").exists()
    basics.refresh_from_db()
    assert basics.title == "Who our customers are"
