"""Pulse surveys: rounds open on a schedule for a department; each person answers once
per round; results per question, department and round; a written answer becomes an
insight."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from champions import services
from champions.models import PulseAnswer, PulseQuestion, PulseResponse, PulseRound, PulseSurvey
from notifications.models import Notification
from tests.champions.factories import TermFactory, as_user
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

KNOW = "How well do you know what our customers went through this month?"


@pytest.fixture
def claims():
    return DepartmentFactory(name="Claims")


@pytest.fixture
def survey(claims):
    survey = PulseSurvey.objects.create(title="Customer closeness", schedule="monthly",
                                        starts_on=timezone.localdate(), anonymous=True)
    survey.departments.add(claims)
    survey.save()  # a ParentalManyToManyField is written on save
    PulseQuestion.objects.create(survey=survey, kind="csat", text=KNOW, sort_order=0)
    PulseQuestion.objects.create(survey=survey, kind="choice", text="Where did you hear it?",
                                 choices="Phone\nE-mail\nIn person", sort_order=1)
    PulseQuestion.objects.create(survey=survey, kind="text", text="What surprised you?",
                                 sort_order=2)
    return survey


def questions(survey):
    return {q.kind: q for q in survey.questions.all()}


def answer(person, pulse_round, **data):
    return as_user(person).post(f"/champions/pulse/{pulse_round.pk}/", data)


def test_a_round_opens_on_schedule_for_the_department_only(survey, claims):
    inside = UserFactory(department=claims)
    outside = UserFactory()
    assert services.pulse_open_due_rounds() == 1
    assert services.pulse_open_due_rounds() == 0  # once
    pulse_round = PulseRound.objects.get()
    told = set(Notification.objects.filter(verb="champions.pulse_open")
               .values_list("recipient", flat=True))
    assert inside.pk in told and outside.pk not in told
    assert "Customer closeness" in as_user(inside).get("/champions/pulse/").content.decode()
    assert as_user(outside).get(f"/champions/pulse/{pulse_round.pk}/").status_code == 404
    # A month later the next round opens; a missed month does not open twice.
    later = timezone.now() + timedelta(days=62)
    assert services.pulse_open_due_rounds(now=later) == 1
    assert list(PulseRound.objects.order_by("number").values_list("number", flat=True)) == [1, 3]


def test_two_people_answer_a_third_cannot_answer_twice_and_the_results_show(survey, claims):
    services.pulse_open_due_rounds()
    pulse_round = PulseRound.objects.get()
    q = questions(survey)
    people = [UserFactory(department=claims) for _ in range(3)]
    for person, score in zip(people, ["4", "5", "2"], strict=True):
        response = answer(person, pulse_round, **{f"q{q['csat'].pk}": score,
                                                  f"q{q['choice'].pk}": "Phone",
                                                  f"q{q['text'].pk}": f"Waited {score} days"})
        assert response.status_code == 302
    again = answer(people[2], pulse_round, **{f"q{q['csat'].pk}": "1"})
    assert again.status_code == 400
    assert "You have already answered this pulse" in again.content.decode()
    assert PulseResponse.objects.count() == 3
    # Anonymous: nobody's name is kept.
    assert not PulseResponse.objects.filter(respondent__isnull=False).exists()

    champion = UserFactory()
    TermFactory(person=champion)
    results = as_user(champion).get(f"/champions/pulse/{pulse_round.pk}/results/")
    page = results.content.decode()
    assert results.status_code == 200
    assert KNOW in page and "average 3.7" in page and "Waited 5 days" in page
    assert "3 responses" in page
    csv = as_user(champion).get(f"/champions/pulse/{pulse_round.pk}/results/?export=csv")
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "question,answer,count"
    assert f"{KNOW},4,1" in rows and "Where did you hear it?,Phone,3" in rows


def test_a_small_departments_averages_stay_hidden_in_an_anonymous_pulse(survey, claims):
    services.pulse_open_due_rounds()
    pulse_round = PulseRound.objects.get()
    q = questions(survey)
    for score in ("1", "5"):
        answer(UserFactory(department=claims), pulse_round, **{f"q{q['csat'].pk}": score})
    champion = UserFactory()
    TermFactory(person=champion)
    page = as_user(champion).get(f"/champions/pulse/{pulse_round.pk}/results/")
    assert "too few to show" in page.content.decode()


def test_bad_answers_are_refused_and_record_nothing(survey, claims):
    services.pulse_open_due_rounds()
    pulse_round = PulseRound.objects.get()
    q = questions(survey)
    person = UserFactory(department=claims)
    for data in ({f"q{q['csat'].pk}": "9"}, {f"q{q['csat'].pk}": "٣"},
                 {f"q{q['choice'].pk}": "Carrier pigeon"}, {f"q{q['text'].pk}": "x" * 2001},
                 {}):
        assert answer(person, pulse_round, **data).status_code == 400, data
    with pytest.raises(ValidationError):
        services.pulse_respond(pulse_round=pulse_round, person=person,
                               answers={q["csat"].pk: "-1"})
    assert not PulseResponse.objects.exists()


def test_a_closed_round_takes_no_answers(survey, claims):
    services.pulse_open_due_rounds()
    pulse_round = PulseRound.objects.get()
    PulseRound.objects.filter(pk=pulse_round.pk).update(
        opens_at=timezone.now() - timedelta(days=2),
        closes_at=timezone.now() - timedelta(minutes=1))
    person = UserFactory(department=claims)
    q = questions(survey)
    assert answer(person, pulse_round, **{f"q{q['csat'].pk}": "4"}).status_code == 404


def test_only_champions_and_managers_read_results(survey, claims, employee, programme_admin):
    services.pulse_open_due_rounds()
    pulse_round = PulseRound.objects.get()
    assert as_user(employee).get(
        f"/champions/pulse/{pulse_round.pk}/results/").status_code == 403
    assert as_user(programme_admin).get(
        f"/champions/pulse/{pulse_round.pk}/results/").status_code == 200


def test_a_written_answer_becomes_an_insight_once(survey, claims):
    services.pulse_open_due_rounds()
    pulse_round = PulseRound.objects.get()
    q = questions(survey)
    answer(UserFactory(department=claims), pulse_round,
           **{f"q{q['text'].pk}": "Customers read our letters twice."})
    written = PulseAnswer.objects.get(question=q["text"])
    champion = UserFactory(department=claims)
    TermFactory(person=champion, department=claims)
    client = as_user(champion)
    response = client.post(f"/champions/pulse/answers/{written.pk}/insight/")
    written.refresh_from_db()
    assert written.insight.text == "Customers read our letters twice."
    assert written.insight.author == champion
    assert response.url == f"/champions/insights/{written.insight_id}/"
    client.post(f"/champions/pulse/answers/{written.pk}/insight/")
    assert PulseAnswer.objects.get(pk=written.pk).insight_id == written.insight_id
    from champions.models import Insight
    assert Insight.objects.count() == 1


def test_the_results_cost_the_same_for_3_or_30_answers(survey, claims):
    services.pulse_open_due_rounds()
    pulse_round = PulseRound.objects.get()
    q = questions(survey)
    champion = UserFactory()
    TermFactory(person=champion)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert as_user(champion).get(
                f"/champions/pulse/{pulse_round.pk}/results/").status_code == 200
        return len(queries)

    def add(n):
        for i in range(n):
            services.pulse_respond(pulse_round=pulse_round,
                                   person=UserFactory(department=claims),
                                   answers={q["csat"].pk: str(1 + i % 5),
                                            q["text"].pk: f"Answer {i}"})

    add(3)
    few = count()
    add(27)
    assert count() == few


def test_the_schedule_steps(survey):
    survey.starts_on = date(2026, 1, 31)
    assert services._next_round_date(survey, 2) == date(2026, 2, 28)
    survey.schedule = "once"
    assert services._next_round_date(survey, 2) is None
    survey.schedule = "weekly"
    assert services._next_round_date(survey, 3) == date(2026, 2, 14)
    assert isinstance(timezone.make_aware(datetime(2026, 1, 1)), datetime)


@pytest.fixture
def customer_round(claims):
    survey = PulseSurvey.objects.create(title="How was your claim?", audience="customers",
                                        anonymous=True)
    PulseQuestion.objects.create(survey=survey, kind="nps", sort_order=0,
                                 text="How likely are you to recommend us?")
    services.pulse_open_due_rounds()
    return PulseRound.objects.get(survey=survey)


def make_links(person, pulse_round, count=2):
    response = as_user(person).post(f"/champions/pulse/{pulse_round.pk}/links/",
                                    {"count": count})
    assert response.status_code == 200, response.content
    return [line.split("/p/")[1].rstrip("/")
            for line in response.content.decode().splitlines()[1:]]


def test_a_customer_answers_once_through_a_link_with_no_cookie(programme_admin,
                                                               customer_round, client):
    # Employees are not asked; the programme admins are told to make the links.
    assert Notification.objects.filter(verb="champions.pulse_open").count() == 1
    [token, other] = make_links(programme_admin, customer_round)
    question = customer_round.survey.questions.get()
    client.logout()
    page = client.get(f"/p/{token}/")
    assert page.status_code == 200
    assert "How likely are you to recommend us?" in page.content.decode()
    assert "Set-Cookie" not in page.headers and page.cookies == {}
    assert page.headers["Referrer-Policy"] == "no-referrer"
    done = client.post(f"/p/{token}/", {f"q{question.pk}": "9"})
    assert done.status_code == 200 and "Thank you: your answers are in." in done.content.decode()
    assert done.cookies == {}
    again = client.post(f"/p/{token}/", {f"q{question.pk}": "0"})
    assert "This link has already been used" in again.content.decode()
    assert client.get(f"/p/{token}/").status_code == 410
    assert PulseResponse.objects.filter(round=customer_round).count() == 1
    assert client.get("/p/not-a-real-token/").status_code == 404
    assert client.post(f"/p/{other}/", {f"q{question.pk}": "11"}).status_code == 400
    assert PulseResponse.objects.filter(round=customer_round).count() == 1


def test_customer_links_are_rate_limited_per_address(customer_round, client):
    from champions import views

    for _n in range(views.PULSE_PUBLIC_LIMIT):
        client.get("/p/guess/")
    assert client.get("/p/guess/").status_code == 429


def test_links_only_for_customer_pulses_and_by_those_who_read_results(
        survey, customer_round, employee, programme_admin):
    services.pulse_open_due_rounds()
    employee_round = PulseRound.objects.get(survey=survey)
    assert as_user(employee).post(f"/champions/pulse/{customer_round.pk}/links/",
                                  {"count": 5}).status_code == 403
    refused = as_user(programme_admin).post(f"/champions/pulse/{employee_round.pk}/links/",
                                            {"count": 5}, follow=True)
    assert "Links are for pulses asked of customers." in refused.content.decode()
    too_many = as_user(programme_admin).post(f"/champions/pulse/{customer_round.pk}/links/",
                                             {"count": 501}, follow=True)
    assert too_many.status_code == 200
    from champions.models import PulseLink
    assert not PulseLink.objects.exists()
    # Employees are never offered a customer pulse in the intranet.
    assert as_user(employee).get(f"/champions/pulse/{customer_round.pk}/").status_code == 404


def test_a_periodic_pulse_shows_its_average_per_round(survey, claims):
    q = questions(survey)
    services.pulse_open_due_rounds()
    first = PulseRound.objects.get()
    services.pulse_respond(pulse_round=first, person=UserFactory(department=claims),
                           answers={q["csat"].pk: "2"})
    services.pulse_open_due_rounds(now=timezone.now() + timedelta(days=32))
    second = PulseRound.objects.get(number=2)
    PulseRound.objects.filter(pk=second.pk).update(opens_at=timezone.now() - timedelta(hours=1))
    services.pulse_respond(pulse_round=second, person=UserFactory(department=claims),
                           answers={q["csat"].pk: "5"})
    champion = UserFactory()
    TermFactory(person=champion)
    page = as_user(champion).get(f"/champions/pulse/{second.pk}/results/").content.decode()
    assert "Average per round" in page and 'id="chart-q' in page


def test_a_named_pulse_shows_who_wrote_an_answer_an_anonymous_one_never(survey, claims):
    q = questions(survey)
    services.pulse_open_due_rounds()
    pulse_round = PulseRound.objects.get()
    services.pulse_respond(pulse_round=pulse_round,
                           person=UserFactory(department=claims, display_name="Nadia Named"),
                           answers={q["text"].pk: "Faster callbacks please."})
    champion = UserFactory()
    TermFactory(person=champion)
    url = f"/champions/pulse/{pulse_round.pk}/results/"
    assert "Nadia Named" not in as_user(champion).get(url).content.decode()
    PulseSurvey.objects.filter(pk=survey.pk).update(anonymous=False)
    # Anonymous when answered: no name was kept, so none can be shown later.
    assert "Nadia Named" not in as_user(champion).get(url).content.decode()
    services.pulse_respond(pulse_round=pulse_round,
                           person=UserFactory(department=claims, display_name="Omid Open"),
                           answers={q["text"].pk: "Call me back."})
    assert "Omid Open" in as_user(champion).get(url).content.decode()
