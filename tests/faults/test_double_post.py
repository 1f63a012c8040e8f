"""The same idea form posted twice (a double click, a browser or proxy retrying the
request): one idea. Nothing lost means the idea exists once, with one submission
record, and every post of that form lands on it."""

import threading

import pytest

from ideas.models import Follow, Idea, Transition

from .conftest import ALIAS, idea_form, idea_pk

pytestmark = pytest.mark.faults


def test_a_double_click_and_a_retry_make_one_idea(stack, browser):
    web = stack.web()
    employee = browser(web, "employee")
    form = idea_form(employee, "Call customers back instead of keeping them on hold")
    assert form.get("form_token"), "the form carries a per-form token"

    # Double click: both posts reach the server at the same time (gunicorn threads,
    # two PostgreSQL transactions racing on the same token).
    barrier = threading.Barrier(2)
    responses = [None, None]

    def post(index):
        barrier.wait(timeout=10)
        responses[index] = employee.submit("/ideas/new/", form)

    clicks = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join(timeout=60)
    # The retried request, seconds later.
    retry = employee.submit("/ideas/new/", form)

    pks = {idea_pk(response) for response in [*responses, retry]}
    assert len(pks) == 1, pks
    ideas = Idea.objects.using(ALIAS).filter(title=form["title"])
    assert ideas.count() == 1
    idea = ideas.get()
    assert idea.pk in pks and idea.status == Idea.Status.SUBMITTED
    assert str(idea.submission_token) == form["form_token"]
    assert Transition.objects.using(ALIAS).filter(idea=idea).count() == 1
    assert Follow.objects.using(ALIAS).filter(idea=idea).count() == 1
    # The person sees the one idea, and is told the second post was not a new idea.
    page = employee.get(f"/ideas/{idea.pk}/")
    assert page.status_code == 200
    assert "form was sent twice" in page.text

    # A new form (a new token) is a new idea, even with the same words.
    again = idea_form(employee, form["title"])
    assert again["form_token"] != form["form_token"]
    assert idea_pk(employee.submit("/ideas/new/", again)) != idea.pk
    assert Idea.objects.using(ALIAS).filter(title=form["title"]).count() == 2
