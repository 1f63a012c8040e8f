"""One home per concept: who may manage onboarding is a named permission asked in
training.permissions; reminders are services the tasks only call; page models do not
import views; bad parameters are refused by forms (400, nothing changes)."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

from notifications.models import Notification
from people import roles
from tests.factories import DepartmentFactory, UserFactory
from training import permissions, services, tasks
from training.models import Enrolment, QuizAttempt

from .factories import answers_for, as_post, onboarding_path, right_answers

pytestmark = pytest.mark.django_db

TRAINING = Path(permissions.__file__).parent


def perm(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="training", codename=codename)


# Permissions. --------------------------------------------------------------------------

def test_programme_admins_hold_the_named_permission(programme_admin, employee):
    assert Group.objects.get(name=roles.PROGRAMME_ADMIN).permissions.filter(
        pk=perm("manage_onboarding").pk).exists()
    assert permissions.can_manage_onboarding(programme_admin)
    assert not permissions.can_manage_onboarding(employee)


def test_the_crud_permission_alone_no_longer_manages_onboarding(basics, employee, as_user):
    employee.user_permissions.add(perm("add_enrolment"))
    client = as_user(employee)
    for url in ["/onboarding/enrol/", "/onboarding/report/"]:
        assert client.get(url).status_code == 403
    employee.user_permissions.add(perm("manage_onboarding"))
    client = as_user(employee)
    for url in ["/onboarding/enrol/", "/onboarding/report/"]:
        assert client.get(url).status_code == 200
    response = client.post("/onboarding/enrol/", {"users": [employee.pk], "module": basics.pk})
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=employee, module=basics).exists()


def test_the_migration_grants_it_to_every_holder_of_add_enrolment(employee):
    migration = importlib.import_module("training.migrations.0006_manage_onboarding")
    hr = Group.objects.create(name="HR partners")
    hr.permissions.add(perm("add_enrolment"))
    others = Group.objects.create(name="Others")
    employee.user_permissions.add(perm("add_enrolment"))
    migration.grant_manage_onboarding(django_apps, None)
    manage = perm("manage_onboarding")
    assert hr.permissions.filter(pk=manage.pk).exists()
    assert not others.permissions.filter(pk=manage.pk).exists()
    assert employee.user_permissions.filter(pk=manage.pk).exists()
    assert Group.objects.get(name=roles.PROGRAMME_ADMIN).permissions.filter(
        pk=manage.pk).exists()


def test_services_ask_the_same_predicate(basics, employee, new_hire):
    path = onboarding_path("Who our customers are", [(basics, 2)])
    with pytest.raises(PermissionDenied):
        services.path_enrol(user=new_hire, path=path, actor=employee)
    with pytest.raises(PermissionDenied):
        services.enrolment_create(user=new_hire, module=basics, actor=employee)
    assert not Enrolment.objects.exists()


def test_nothing_asks_for_the_borrowed_crud_permission():
    root = TRAINING.parent
    for folder in (TRAINING, root / "templates" / "training"):
        for path in folder.rglob("*"):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                assert "add_enrolment" not in path.read_text(), path


# Structure. ----------------------------------------------------------------------------

def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
            names.update("." * node.level + alias.name for alias in node.names
                         if not node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize(("module", "forbidden"), [
    ("models.py", {".views", ".services", ".selectors", "training.views"}),
    ("services.py", {".tasks", ".views", "training.tasks"}),
    ("selectors.py", {".services", ".views", ".tasks"}),
    ("permissions.py", {".services", ".selectors", ".views"}),
])
def test_imports_go_one_way(module, forbidden):
    assert not imported_modules(TRAINING / module) & forbidden


def test_tasks_are_one_line_calls_of_services():
    tree = ast.parse((TRAINING / "tasks.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            body = [n for n in node.body if not (isinstance(n, ast.Expr)
                                                 and isinstance(n.value, ast.Constant))]
            assert len(body) == 1 and isinstance(body[0], ast.Return), node.name
            call = body[0].value
            assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            assert call.func.value.id == "services", node.name


def test_the_reminder_services_work_without_the_tasks(index, new_hire):
    from datetime import date

    from .factories import module_page

    manager = UserFactory(display_name="Mina Manager")
    new_hire.manager = manager
    new_hire.save()
    module = module_page("late", title="Late module", lessons=1)
    services.enrolment_create(user=new_hire, module=module, actor=None,
                              due_on=date(2026, 11, 20))
    monday = date(2026, 11, 23)
    assert services.enrolment_send_due_reminders(today=monday) == 1
    assert services.enrolment_send_due_reminders(today=monday) == 0
    assert services.manager_send_overdue_summaries(today=monday) == 1
    assert services.manager_send_overdue_summaries(today=monday) == 0
    assert Notification.objects.filter(verb__startswith="training.").exclude(
        once_key="").count() == 2
    assert Notification.objects.filter(verb="training.due", recipient=new_hire).count() == 1
    # The tasks pass their ISO date on.
    assert tasks.remind_learners(today="2026-11-24") == 1


# Bad parameters: refused by forms with a clear message, nothing changes. ---------------

def test_report_refuses_an_unknown_format(basics, programme_admin, as_user):
    response = as_user(programme_admin).get("/onboarding/report/?format=xls")
    assert response.status_code == 400
    assert "Unknown export." in response.content.decode()
    assert as_user(programme_admin).get("/onboarding/report/?format=").status_code == 200


@pytest.mark.parametrize("value", ["x", "-1", "0", "²", "9" * 30, "1.5"])
def test_report_refuses_a_bad_department(programme_admin, as_user, value):
    response = as_user(programme_admin).get("/onboarding/report/", {"department": value})
    assert response.status_code == 400
    assert "Unknown department." in response.content.decode()


def test_report_of_a_department_that_does_not_exist_is_404(programme_admin, as_user):
    department = DepartmentFactory(name="Sales")
    client = as_user(programme_admin)
    assert client.get("/onboarding/report/", {"department": department.pk}).status_code == 200
    assert client.get("/onboarding/report/", {"department": department.pk + 1000}
                      ).status_code == 404


@pytest.mark.parametrize(("data", "message"), [
    ({"users": ["x"], "module": "{module}"}, "valid value"),
    ({"users": ["9" * 30], "module": "{module}"}, "valid value"),
    ({"users": ["{user}"], "module": "²"}, "Select a valid choice"),
    ({"users": ["{user}"], "path": "-3"}, "Select a valid choice"),
    ({"users": ["{user}"], "module": "{module}", "due_on": "2026-13-45"}, "valid date"),
], ids=["user-not-id", "user-huge", "module-superscript", "path-negative", "due-on"])
def test_enrol_refuses_bad_parameters(basics, programme_admin, new_hire, as_user, data,
                                      message):
    ids = {"user": new_hire.pk, "module": basics.pk}
    data = {k: [x.format(**ids) for x in v] if isinstance(v, list) else v.format(**ids)
            for k, v in data.items()}
    response = as_user(programme_admin).post("/onboarding/enrol/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrolment.objects.exists()


def test_quiz_page_keeps_offered_choices_only_after_a_refusal(basics, new_hire, as_user):
    data = {**as_post(right_answers("who")), "q-who-single": ["who-single-a", "forged"]}
    response = as_user(new_hire).post(f"/onboarding/modules/{basics.pk}/quiz/", data)
    assert response.status_code == 400
    assert "do not match this quiz" in response.content.decode()
    assert response.context["chosen"]["who-single"] == ["who-single-a"]
    assert not QuizAttempt.objects.exists()


def test_quiz_answers_go_to_the_service_as_parsed_by_the_form(basics, new_hire, as_user):
    response = as_user(new_hire).post(f"/onboarding/modules/{basics.pk}/quiz/",
                                      as_post(answers_for(basics)))
    assert response.status_code == 200
    assert QuizAttempt.objects.get().answers == answers_for(basics)
