"""Data for the journeys, written and read by a Django process of its own (the test
process keeps its own settings and never opens the journeys' database).

    python -m tests.e2e.data <command> '<json arguments>'

prints the command's result as JSON on its last line. The journeys' fixture runs it with
the same settings and environment as the server (tests.e2e.settings)."""

import json
import sys

PASSWORD = "customer-first-2026"
SEGMENT = "Retirees managing claims"
MODULE = "Who our customers are"
OPEN_DEPARTMENT = "Field services"  # no champion until journey 5 nominates one
TRIAGE_IDEA = "Call retirees back before their claim deadline"

PEOPLE = {
    # key: (display name, e-mail, roles, department)
    "reviewer": ("Rui Reviewer", "rui.reviewer@example.com", ["Reviewer"], "Claims"),
    "admin": ("Ada Admin", "ada.admin@example.com", ["Programme admin", "Reviewer"], "Claims"),
    "champion": ("Chai Champion", "chai.champion@example.com", [], "Customer service"),
    "submitter": ("Sam Submitter", "sam.submitter@example.com", [], "Claims"),
    "new_hire": ("Nasrin New hire", "nasrin.newhire@example.com", ["New hire"],
                 "Customer service"),
    "nominator": ("Noor Nominator", "noor.nominator@example.com", [], OPEN_DEPARTMENT),
    "nominee": ("Kim Colleague", "kim.colleague@example.com", [], OPEN_DEPARTMENT),
    "opted_out": ("Olga Optout", "olga.optout@example.com", [], "Claims"),
    # Journey 6 (the programme): only it uses these three.
    "employee": ("Emeka Employee", "emeka.employee@example.com", [], "Claims"),
    "coauthor": ("Tala Teammate", "tala.teammate@example.com", [], "Customer service"),
    "sponsor": ("Sofia Sponsor", "sofia.sponsor@example.com", [], "Claims"),
    # Journey 7 (an insight answered within a day): a second champion of Customer
    # service, whose insight the first champion (the department's owner) answers.
    "listener": ("Lina Listener", "lina.listener@example.com", [], "Customer service"),
}


def _person(key):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from people.models import Department, User

    name, email, roles, department = PEOPLE[key]
    user = User.objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, display_name=name,
        department=Department.objects.get(name=department))
    user.groups.add(*Group.objects.filter(name__in=roles))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def seed() -> dict:
    """Everything the five journeys start from."""
    from champions import services as champions
    from ideas import services as ideas
    from newsletter.models import Unsubscription
    from people.models import CustomerSegment, Department
    from tests.training.factories import module_page, onboarding_path

    for name in ["Claims", "Customer service", OPEN_DEPARTMENT]:
        Department.objects.create(name=name, head_count=20)
    segment = CustomerSegment.objects.create(name=SEGMENT)
    # Onboarding: one module (a lesson and a three-question quiz), on a path every new
    # hire is put on automatically.
    module = module_page("who", title=MODULE, lessons=1)
    from django.contrib.auth.models import Group

    onboarding_path("Customer life basics", [(module, 5)],
                    role=Group.objects.get(name="New hire"))
    people = {key: _person(key) for key in PEOPLE}
    # A champion with a term (the roster and coverage are not empty to begin with).
    for key in ("champion", "listener"):  # Chai first: the department's insight owner
        champions.term_start(person=people[key],
                             department=Department.objects.get(name="Customer service"),
                             actor=people["admin"])
    Unsubscription.objects.create(user=people["opted_out"])
    idea = ideas.idea_save_draft(
        actor=people["submitter"], title=TRIAGE_IDEA,
        problem="Retirees miss the claim deadline because nobody reminds them.",
        customer_segment=segment, delight="Someone calls before it is too late.",
        metric="csat")
    ideas.idea_submit(idea=idea, actor=people["submitter"])
    return {"people": {key: {"name": p.name, "email": p.email} for key, p in people.items()},
            "password": PASSWORD, "idea": idea.pk, "module": module.pk}


def subscribers() -> list[str]:
    from newsletter.selectors import subscribers as active_subscribers

    return sorted(active_subscribers().values_list("email", flat=True))


def send_state(title: str) -> dict:
    from newsletter.models import Delivery, Send

    send = Send.objects.filter(issue__title=title).first()
    if send is None:
        return {"status": None, "deliveries": {}}
    return {"status": send.status,
            "deliveries": dict(Delivery.objects.filter(send=send)
                               .values_list("email", "status"))}


def publish_recognition_issue(title: str) -> dict:
    """A newsletter issue with a recognition block (the ideas implemented since the
    previous issue), published by the programme admin: the workers e-mail it."""
    from newsletter.models import NewsletterArchivePage, NewsletterIssuePage
    from people.models import User

    admin = User.objects.get(email=PEOPLE["admin"][1])
    issue = NewsletterArchivePage.objects.get().add_child(instance=NewsletterIssuePage(
        title=title, slug="recognition", owner=admin, intro="Thank you.", live=False,
        body=[{"type": "recognition", "value": {"heading": "Thank you", "text": "",
                                                "limit": 5, "ideas": []}}]))
    issue.save_revision(user=admin).publish(user=admin)
    return {"issue": issue.pk}


def pulse_for_claims(title: str) -> dict:
    """A monthly pulse for the Claims department (set up as a programme admin would in
    the admin), then the schedule's run that opens its first round, as beat does hourly."""
    from champions.models import PulseQuestion, PulseSurvey
    from champions.services import pulse_open_due_rounds
    from people.models import Department

    survey = PulseSurvey.objects.create(title=title, schedule="monthly", anonymous=True)
    survey.departments.add(Department.objects.get(name="Claims"))
    survey.save()
    PulseQuestion.objects.create(survey=survey, sort_order=0, kind="csat",
                                 text="How well do you know what our customers went through "
                                      "this month?")
    PulseQuestion.objects.create(survey=survey, sort_order=1, kind="text",
                                 text="What surprised you?")
    return {"opened": pulse_open_due_rounds(), "round": survey.rounds.get().pk}


COMMANDS = {"seed": seed, "subscribers": subscribers, "send_state": send_state,
            "publish_recognition_issue": publish_recognition_issue,
            "pulse_for_claims": pulse_for_claims}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command = COMMANDS[argv[1]]
    kwargs = json.loads(argv[2]) if len(argv) > 2 else {}
    print(json.dumps(command(**kwargs)))  # noqa: T201


if __name__ == "__main__":
    main(sys.argv)
