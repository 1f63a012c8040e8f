"""One home per concept: the named send permission, services that never import the
tasks they queue, requests parsed by forms (bad input is a 400 that changes nothing),
and the approval workflow written once (shared.workflows)."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry, WorkflowPage, WorkflowTask

import newsletter
from newsletter import permissions, services
from newsletter.models import Send, Unsubscription
from newsletter.setup import WORKFLOW_NAME, ensure_newsletter_setup
from people import roles
from shared.workflows import ensure_approval_workflow
from tests.factories import UserFactory

from .conftest import make_issue, publish

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_in(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the named permission ----------------------------------------------------------------

def test_sending_is_a_named_permission_programme_admins_hold(programme_admin, champion):
    assert programme_admin.has_perm("newsletter.send_newsletter")
    assert permissions.can_send(programme_admin)
    assert not permissions.can_send(champion)


def test_the_crud_permission_alone_no_longer_lets_anyone_send(archive, programme_admin):
    send = publish(make_issue(archive), programme_admin)
    crud_only = UserFactory(roles=[roles.CHAMPION])
    crud_only.user_permissions.add(Permission.objects.get(
        content_type__app_label="newsletter", codename="change_send"))
    crud_only = type(crud_only).objects.get(pk=crud_only.pk)  # no cached permissions
    assert not permissions.can_send(crud_only)
    with pytest.raises(PermissionDenied):
        services.send_pause(send=send, actor=crud_only)
    assert client_for(crud_only).get(reverse("newsletter_sends")).status_code in (302, 403)
    named = UserFactory(roles=[roles.CHAMPION])
    named.user_permissions.add(Permission.objects.get(
        content_type__app_label="newsletter", codename="send_newsletter"))
    named = type(named).objects.get(pk=named.pk)
    assert permissions.can_send(named)
    assert client_for(named).get(reverse("newsletter_sends")).status_code == 200


def test_migration_grants_send_newsletter_to_whoever_holds_change_send(db):
    migration = importlib.import_module(
        "newsletter.migrations.0007_send_newsletter_permission")
    change_send = Permission.objects.get(content_type__app_label="newsletter",
                                         codename="change_send")
    send_newsletter = Permission.objects.get(content_type__app_label="newsletter",
                                             codename="send_newsletter")
    group = Group.objects.create(name="Mailroom")
    group.permissions.add(change_send)
    other = Group.objects.create(name="Readers")
    person = UserFactory()
    person.user_permissions.add(change_send)
    migration.grant_send_newsletter(django_apps, None)
    assert send_newsletter in group.permissions.all()
    assert send_newsletter not in other.permissions.all()
    assert send_newsletter in person.user_permissions.all()
    assert send_newsletter in Group.objects.get(name=roles.PROGRAMME_ADMIN).permissions.all()
    assert send_newsletter not in Group.objects.get(name=roles.CHAMPION).permissions.all()


# --- services never import tasks ---------------------------------------------------------

def imported_modules(module) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            names.add(base)
            names.update(f"{base}.{alias.name}".replace("..", ".") for alias in node.names)
    return names


def test_services_do_not_import_tasks_and_tasks_import_services():
    from newsletter import tasks

    assert not {name for name in imported_modules(services)
                if name.endswith("tasks") or ".tasks." in name}
    assert ".services" in imported_modules(tasks)
    # Every task services queue by name is a registered task.
    from celery import current_app

    for name in (services.PREPARE_TASK, services.SEND_TASK):
        assert name in current_app.tasks


def test_services_keep_only_services_public():
    public = [name for name, obj in vars(services).items()
              if callable(obj) and not name.startswith("_")
              and getattr(obj, "__module__", None) == services.__name__]
    assert sorted(public) == sorted([
        "send_start", "send_prepare", "send_claim_batch", "send_batch",
        "delivery_recover_interrupted", "send_pause", "send_resume", "send_retry_failed",
        "issue_send_test", "subscription_cancel", "subscription_renew"])


# --- services: permission-checked and logged ---------------------------------------------

def test_subscription_services_say_what_changed_and_log_it(employee):
    assert services.subscription_cancel(user=employee) is True
    assert services.subscription_cancel(user=employee) is False
    assert services.subscription_renew(user=employee) is True
    assert services.subscription_renew(user=employee) is False
    assert list(ModelLogEntry.objects.filter(object_id=str(employee.pk))
                .order_by("pk").values_list("action", flat=True)) == [
        "newsletter.unsubscribe", "newsletter.resubscribe"]


def test_a_test_send_is_only_for_who_may_edit_the_issue(archive, champion, mailoutbox):
    issue = make_issue(archive, "Chai's draft", slug="chais-draft")
    issue.owner = champion
    issue.save()
    other = UserFactory(roles=[roles.CHAMPION])
    with pytest.raises(PermissionDenied):
        services.issue_send_test(issue=issue, actor=other)
    assert mailoutbox == []
    services.issue_send_test(issue=issue, actor=champion)
    assert [m.to for m in mailoutbox] == [[champion.email]]
    assert PageLogEntry.objects.filter(page=issue, action="newsletter.send_test").exists()


# --- bad input: 400, a message, nothing changes ------------------------------------------

@pytest.mark.parametrize("value", ["", "2", "yes", "²", "1 ", "\x00", "x" * 5000])
def test_subscription_with_a_bad_value_is_400_and_changes_nothing(employee, value):
    client = client_for(employee)
    response = client.post("/subscriptions/", {"subscribe": value})
    assert response.status_code == 400
    assert messages_in(response)
    assert not Unsubscription.objects.exists()
    services.subscription_cancel(user=employee)
    response = client.post("/subscriptions/", {"subscribe": value})
    assert response.status_code == 400
    assert Unsubscription.objects.filter(user=employee).exists()


def test_subscription_without_a_value_is_400(employee):
    response = client_for(employee).post("/subscriptions/", {})
    assert response.status_code == 400
    assert "This field is required." in messages_in(response)
    assert not Unsubscription.objects.exists()


@pytest.mark.parametrize("token", ["x" * 400, "a" * 301, "%00"])
def test_unsubscribe_with_a_malformed_token_is_400_and_changes_nothing(employee, token):
    response = Client().post(f"/subscriptions/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "not valid" in response.text
    assert not Unsubscription.objects.exists()


@pytest.mark.parametrize("action", ["", "delete", "PAUSE", "pause ", "²", "\x00"])
def test_send_control_with_an_unknown_action_is_400_and_changes_nothing(
        archive, programme_admin, action):
    send = publish(make_issue(archive), programme_admin)
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENDING)
    url = reverse("newsletter_send_control", args=[send.pk])
    response = client_for(programme_admin).post(url, {"action": action})
    assert response.status_code == 400
    assert "Unknown action." in response.text
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING


def test_send_control_refuses_people_who_may_not_send_before_reading_input(
        archive, programme_admin, champion):
    send = publish(make_issue(archive), programme_admin)
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENDING)
    url = reverse("newsletter_send_control", args=[send.pk])
    for data in ({"action": "bogus"}, {"action": "pause"}):
        response = client_for(champion).post(url, data)
        assert response.status_code in (302, 403)
        assert response.status_code != 400
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING


def test_views_read_no_request_parameter_by_hand():
    source = Path(newsletter.__file__).with_name("views.py").read_text(encoding="utf-8")
    for by_hand in ("request.POST.get", "request.GET.get", "request.POST[", "request.GET[",
                    "int(", "user_from_token"):
        assert by_hand not in source, by_hand


# --- the approval workflow, written once -------------------------------------------------

def test_newsletter_setup_twice_keeps_one_workflow_with_one_task(archive):
    ensure_newsletter_setup()
    ensure_newsletter_setup()
    workflow = archive.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    assert WorkflowTask.objects.filter(workflow=workflow).count() == 1
    task = workflow.tasks.get().specific
    assert [g.name for g in task.groups.all()] == [roles.PROGRAMME_ADMIN]


def test_ensure_approval_workflow_keeps_or_replaces_another_workflow(archive):
    admin = Group.objects.get(name=roles.PROGRAMME_ADMIN)
    other = ensure_approval_workflow(name="Other approval", task_name="Other task",
                                     page=archive, groups=[admin], replace=True)
    assert archive.get_workflow() == other
    ensure_approval_workflow(name=WORKFLOW_NAME, task_name="Programme admin approval",
                             page=archive, groups=[admin])
    assert WorkflowPage.objects.get(page=archive).workflow == other  # kept
    ensure_newsletter_setup()  # the newsletter's own setup replaces it
    assert WorkflowPage.objects.get(page=archive).workflow.name == WORKFLOW_NAME
