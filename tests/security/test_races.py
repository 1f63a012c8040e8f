"""Concurrent requests on PostgreSQL: the same write arriving several times at once
(double clicks, retries, several people acting together) leaves one record, answers
every request without a 500, and notifies once. The invariants are database
constraints; these tests prove the services turn a collision into the normal answer.
(SQLite serialises writers, so they run on PostgreSQL only: the CI suite.)"""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from champions import services as champion_services
from champions.models import Nomination, Term
from ideas.models import Follow, Idea, Support, Transition
from notifications.models import Notification
from people import roles
from people.models import User
from tests.factories import DepartmentFactory, UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory, idea_form_data

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="real concurrent transactions need PostgreSQL"),
]


def race(count: int, target) -> list:
    """Run target(i) in `count` threads released together; each thread has its own
    database connection. Returns each call's result (or the exception it raised)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = target(index)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return results


def client_for(user) -> Client:
    # A 500 must show up as a status code, not as an exception in the thread.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_concurrent_nominations_of_one_person_make_one_open_nomination():
    claims = DepartmentFactory(name="Claims")
    nominee = UserFactory(display_name="Kanya Colleague", department=claims)
    admin = UserFactory(roles=[roles.PROGRAMME_ADMIN])
    clients = [client_for(UserFactory()) for _ in range(8)]

    responses = race(8, lambda i: clients[i].post("/champions/nominate/", {
        "nominee": nominee.pk, "department": claims.pk, "reason": f"Reason {i}"}))

    assert sorted(r.status_code for r in responses) == [302] + [400] * 7
    for refused in (r for r in responses if r.status_code == 400):
        assert "already nominated" in refused.content.decode()
    assert Nomination.objects.filter(nominee=nominee, status="open").count() == 1
    # The programme admin hears about it once.
    assert Notification.objects.filter(recipient=admin,
                                       verb="champions.nomination").count() == 1


def test_concurrent_sign_ups_with_one_address_make_one_account():
    password = "a-long-Passphrase-42"
    data = {"email": "noor@example.com", "password1": password, "password2": password}
    clients = [Client(raise_request_exception=False) for _ in range(6)]

    responses = race(6, lambda i: clients[i].post(reverse("account_signup"), data))

    assert [r.status_code for r in responses] == [302] * 6, [r.status_code for r in responses]
    # Everyone sees the same "check your e-mail" page: nothing tells who won.
    assert {r["Location"] for r in responses} == {reverse("account_email_verification_sent")}
    assert User.objects.filter(email__iexact="noor@example.com").count() == 1
    # The same as six sign-ups one after another: the attempts that lost are treated
    # as a sign-up with a taken address (allauth's "you already have an account" mail),
    # and allauth sends one address at most one such mail every few minutes. Its rate
    # limit is read then written in the cache, so under load more may slip through: the
    # invariant is that nobody else is written to.
    assert 1 <= len(mail.outbox) <= 6, [m.subject for m in mail.outbox]
    assert all(m.to == ["noor@example.com"] for m in mail.outbox)


def test_concurrent_supports_by_one_person_count_once(employee):
    idea = IdeaFactory()
    clients = [client_for(employee) for _ in range(6)]

    responses = race(6, lambda i: clients[i].post(f"/ideas/{idea.pk}/support/"))

    assert [r.status_code for r in responses] == [302] * 6
    assert Support.objects.filter(idea=idea, user=employee).count() == 1
    idea.refresh_from_db()
    assert idea.support_count == 1


def test_the_same_idea_form_posted_at_once_makes_one_idea(employee):
    client = client_for(employee)
    page = client.get("/ideas/new/").content.decode()
    token = page.split('name="form_token" value="', 1)[1][:36]
    data = {**idea_form_data(CustomerSegmentFactory()), "form_token": token, "submit": "1"}
    clients = [client_for(employee) for _ in range(4)]

    responses = race(4, lambda i: clients[i].post("/ideas/new/", data))

    idea = Idea.objects.get(submitter=employee)
    assert [r.status_code for r in responses] == [302] * 4
    assert {r["Location"] for r in responses} == {f"/ideas/{idea.pk}/"}
    assert Transition.objects.filter(idea=idea).count() == 1
    assert Follow.objects.filter(idea=idea, user=employee).count() == 1


def test_concurrent_term_starts_make_one_term():
    claims = DepartmentFactory(name="Claims")
    person = UserFactory(department=claims)
    admins = [UserFactory(roles=[roles.PROGRAMME_ADMIN]) for _ in range(4)]
    today = timezone.localdate()

    results = race(4, lambda i: champion_services.term_start(
        person=person, department=claims, actor=admins[i], starts_on=today,
        ends_on=today + timedelta(days=365)))

    assert sum(isinstance(r, Term) for r in results) == 1
    refused = [r for r in results if not isinstance(r, Term)]
    assert all(isinstance(r, ValidationError) for r in refused), refused
    assert Term.objects.filter(person=person, department=claims).count() == 1


def test_a_double_clicked_comment_delete_counts_down_once(employee):
    from ideas import services as idea_services

    idea = IdeaFactory()
    comment = idea_services.comment_add(idea=idea, actor=employee, body="Call them back.")
    clients = [client_for(employee) for _ in range(4)]

    responses = race(4, lambda i: clients[i].post(f"/ideas/comments/{comment.pk}/delete/"))

    assert 500 not in [r.status_code for r in responses]
    idea.refresh_from_db()
    assert idea.comment_count == 0 and not idea.comments.exists()


def test_concurrent_enrolments_and_one_quiz_form_posted_at_once_record_once(new_hire):
    from tests.training.factories import answers_for, module_page
    from training import services as training_services
    from training.models import Enrolment, QuizAttempt

    module = module_page("who", title="Who our customers are")

    enrolled = race(4, lambda i: training_services.enrolment_create(
        user=new_hire, module=module, actor=None))
    assert sorted(created for __, created in enrolled) == [False, False, False, True]
    assert Enrolment.objects.filter(user=new_hire, module=module).count() == 1

    results = race(4, lambda i: training_services.quiz_submit(
        user=new_hire, module=module, answers=answers_for(module), token="a" * 32))
    recorded = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(recorded) == 1
    assert all(isinstance(r, training_services.QuizAlreadySubmitted) for r in refused), refused
    assert QuizAttempt.objects.filter(user=new_hire, module=module).count() == 1
