"""Upgrading keeps the term-ending reminders already sent: they are keyed like the new
ones, so nobody is reminded twice (champions/migrations/0006)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("champions", "0005_manage_champions_permission"),
          ("notifications", "0003_once_key")]
AFTER = [("champions", "0006_term_reminders_are_notifications")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminders_sent_before_the_upgrade_count_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, Department = old.get_model("people", "User"), old.get_model("people", "Department")
    Term, Notification = old.get_model("champions", "Term"), old.get_model(
        "notifications", "Notification")
    champion = User.objects.create(username="c", email="c@example.com")
    admin = User.objects.create(username="a", email="a@example.com")
    department = Department.objects.create(name="Claims")
    sent = timezone.now() - timedelta(days=3)
    term = Term.objects.create(person=champion, department=department,
                               starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                               end_reminder_sent_at=sent)
    for person in (champion, admin):
        note = Notification.objects.create(
            recipient=person, verb="champions.term_ending",
            legacy_title="The champion term ends", legacy_url=f"/champions/people/{champion.pk}/")
        Notification.objects.filter(pk=note.pk).update(created_at=sent)
    unrelated = Notification.objects.create(recipient=admin, verb="champions.term_ending",
                                            legacy_url="/champions/people/999/")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from champions.models import Term as NewTerm
    from champions.services import term_ending_key
    from notifications.models import Notification as NewNotification

    key = term_ending_key(NewTerm.objects.get(pk=term.pk))
    assert set(NewNotification.objects.filter(once_key=key).values_list(
        "recipient", flat=True)) == {champion.pk, admin.pk}
    assert NewNotification.objects.get(pk=unrelated.pk).once_key == ""
