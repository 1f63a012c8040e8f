"""The Wagtail admin's own pages (account, password reset, users, site history, tag
autocomplete) keep the intranet's rules: e-mail addresses change only through allauth,
there is one rate-limited password reset, drafts stay private to their author, and
nothing a person typed is written to a spreadsheet as a formula."""

import csv
import io

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from wagtail.log_actions import log

from ideas import services as idea_services
from ideas.models import Idea
from people.models import User
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. E-mail and password belong to allauth -------------------------------------------

def account_form(user, **overrides) -> dict:
    """Everything Wagtail's account page posts when the person only saves it."""
    data = {
        "name_email-first_name": "Chai", "name_email-last_name": "Champion",
        "name_email-email": user.email,
        "locale-preferred_language": "en", "locale-current_time_zone": "",
        "theme-theme": "system", "theme-density": "default", "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("address", ["someone@gmail.com", "TAKEN.Person@EXAMPLE.COM"])
def test_admin_account_page_cannot_change_email(champion, address):
    UserFactory(username="taken", email="taken.person@example.com")
    before = champion.email
    client = client_for(champion)
    client.post("/admin/account/", account_form(champion, **{"name_email-email": address}))
    champion.refresh_from_db()
    assert champion.email == before
    # The page offers no e-mail or password field, and says where to change them.
    page = client.get("/admin/account/").content.decode()
    assert 'name="name_email-email"' not in page
    assert 'name="password-new_password1"' not in page


def test_admin_account_page_cannot_change_password(champion):
    client = client_for(champion)
    client.post("/admin/account/", account_form(champion, **{
        "password-old_password": "correct-horse-battery",
        "password-new_password1": "another-Passphrase-42",
        "password-new_password2": "another-Passphrase-42"}))
    champion.refresh_from_db()
    assert champion.check_password("correct-horse-battery")


def test_wagtail_password_reset_is_gone(champion, employee):
    """allauth's reset (/accounts/password/reset/, rate limited) is the only one."""
    client = client_for(champion)
    for url in ("/admin/password_reset/", "/admin/password_reset/done/"):
        assert client.get(url).status_code == 404
    response = client.post("/admin/password_reset/", {"email": employee.email})
    assert response.status_code == 404
    assert Client().post("/admin/password_reset/", {"email": employee.email}).status_code != 200
    assert mail.outbox == []


def user_edit_form(user, **overrides) -> dict:
    data = {"username": user.username, "email": user.email, "first_name": "Erin",
            "last_name": "Employee", "is_active": "on", "display_name": user.display_name,
            "preferred_language": "en"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("address, message", [
    ("erin@gmail.com", "company e-mail address"),
    ("Taken.Person@Example.com", "already belongs to another person"),
    ("alias@example.com", "already belongs to another person"),
])
def test_programme_admin_cannot_set_a_foreign_or_taken_email(
        admin_client_, employee, address, message):
    other = UserFactory(username="taken", email="taken.person@example.com")
    # An address allauth knows as another person's (a secondary address) is taken too.
    EmailAddress.objects.create(user=other, email="alias@example.com", verified=True)
    before = employee.email
    response = admin_client_.post(f"/admin/users/edit/{employee.pk}/",
                                  user_edit_form(employee, email=address))
    assert response.status_code == 200
    assert message in response.content.decode()
    employee.refresh_from_db()
    assert employee.email == before


def test_programme_admin_can_set_a_company_email(admin_client_, employee):
    response = admin_client_.post(f"/admin/users/edit/{employee.pk}/",
                                  user_edit_form(employee, email="Erin.New@Example.com"))
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.email == "Erin.New@example.com"


def test_an_address_set_in_the_admin_replaces_the_old_sign_in_address(admin_client_,
                                                                      employee):
    """The old verified address stops signing in; the new one waits for its owner's
    confirmation (allauth asks at the next sign-in), so an admin's typo opens nothing."""
    old = employee.email
    assert EmailAddress.objects.filter(user=employee, email=old, verified=True).exists()
    admin_client_.post(f"/admin/users/edit/{employee.pk}/",
                       user_edit_form(employee, email="Erin.New@Example.com"))
    addresses = list(EmailAddress.objects.filter(user=employee).values_list(
        "email", "verified", "primary"))
    assert addresses == [("erin.new@example.com", False, True)]
    assert not EmailAddress.objects.filter(email__iexact=old).exists()
    employee.refresh_from_db()
    assert employee.email == "Erin.New@example.com"


def test_programme_admin_creates_users_with_company_emails_only(admin_client_):
    form = {"username": "newperson", "first_name": "New", "last_name": "Person",
            "display_name": "New Person", "preferred_language": "en"}
    response = admin_client_.post("/admin/users/new/", {**form, "email": "new@gmail.com"})
    assert response.status_code == 200
    assert "company e-mail address" in response.content.decode()
    assert not User.objects.filter(username="newperson").exists()
    # No password is set in Wagtail: the person sets one through allauth's reset.
    page = admin_client_.get("/admin/users/new/").content.decode()
    assert 'name="password1"' not in page
    response = admin_client_.post("/admin/users/new/", {**form, "email": "new@example.com"})
    assert response.status_code == 302
    person = User.objects.get(username="newperson")
    assert person.email == "new@example.com"
    assert not person.has_usable_password()
    # allauth knows the address, unverified until its owner confirms it.
    assert list(EmailAddress.objects.filter(user=person).values_list(
        "email", "verified", "primary")) == [("new@example.com", False, True)]


# --- 2. Site history: no other people's drafts; spreadsheet-safe exports ---------------

@pytest.fixture
def logged_ideas(employee, reviewer):
    """A draft, a confidential idea and a public one, each with log entries."""
    draft = idea_services.idea_save_draft(
        actor=employee, title="Secret draft about my manager", problem="p", delight="d",
        metric="fcr")
    confidential = IdeaFactory(title="Confidential pricing idea", confidential=True,
                               submitter=employee)
    public = IdeaFactory(title="=HYPERLINK(\"http://evil.test\")", submitter=employee)
    for idea in (confidential, public):
        log(instance=idea, action="ideas.submit", user=employee)
    return draft, confidential, public


def test_site_history_hides_other_peoples_drafts(logged_ideas, reviewer, programme_admin,
                                                 employee):
    draft, confidential, public = logged_ideas
    assert draft.status == Idea.Status.DRAFT
    for user in (reviewer, programme_admin):
        client = client_for(user)
        page = client.get("/admin/reports/site-history/").content.decode()
        assert "Secret draft about my manager" not in page
        assert "Confidential pricing idea" in page  # reviewers may see confidential ideas
        export = client.get("/admin/reports/site-history/?export=csv")
        text = b"".join(export.streaming_content).decode()
        assert "Secret draft" not in text
        # Filtering by name finds nothing either.
        page = client.get("/admin/reports/site-history/results/?label=Secret").content.decode()
        assert "Secret draft" not in page


def test_site_history_hides_confidential_ideas_from_those_who_may_not_see_them(
        logged_ideas, employee):
    """Someone with a permission on ideas but not on confidential ones."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Idea readers")
    group.permissions.add(Permission.objects.get(codename="access_admin"),
                          Permission.objects.get(codename="view_idea"))
    reader = UserFactory()
    reader.groups.add(group)
    page = client_for(reader).get("/admin/reports/site-history/").content.decode()
    assert "Confidential pricing idea" not in page
    assert "Secret draft" not in page
    assert "HYPERLINK" in page


def test_site_history_csv_neutralises_formulas(logged_ideas, programme_admin):
    UserFactory(display_name="@SUM(1+1)")
    programme_admin.display_name = "-2+3"
    programme_admin.save()
    _draft, _confidential, public = logged_ideas
    log(instance=public, action="ideas.assign", user=programme_admin)
    export = client_for(programme_admin).get("/admin/reports/site-history/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(\"http://evil.test\")" in cells
    assert "'-2+3" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_aging_pages_csv_neutralises_formulas(programme_admin):
    from newsletter.models import NewsletterArchivePage, NewsletterIssuePage

    archive = NewsletterArchivePage.objects.get()
    issue = archive.add_child(instance=NewsletterIssuePage(title="=1+2", slug="formula"))
    issue.save_revision(user=programme_admin).publish(user=programme_admin)
    export = client_for(programme_admin).get("/admin/reports/aging-pages/?export=csv")
    text = b"".join(export.streaming_content).decode()
    assert "'=1+2" in text
    assert "\n=1+2" not in text and ",=1+2" not in text


# --- 3. Tag autocomplete: only tags the person could see on ideas ---------------------

def test_tag_autocomplete_leaks_no_draft_or_confidential_tags(champion, employee, reviewer):
    draft = IdeaFactory(status=Idea.Status.DRAFT, submitter=employee)
    draft.tags.set(["layoffs-draft"])
    confidential = IdeaFactory(confidential=True, submitter=employee)
    confidential.tags.set(["layoffs-confidential"])
    public = IdeaFactory(submitter=employee)
    public.tags.set(["layoffs-public"])
    for url in ("/admin/tag-autocomplete/", "/admin/tag-autocomplete/taggit/tag/"):
        assert client_for(champion).get(url, {"term": "layoffs"}).json() == ["layoffs-public"]
        # Reviewers see confidential ideas, but nobody sees someone else's draft.
        assert client_for(reviewer).get(url, {"term": "lay"}).json() == [
            "layoffs-confidential", "layoffs-public"]
        # Employees have no admin access at all.
        assert client_for(employee).get(url, {"term": "lay"}).status_code == 302


def test_tag_autocomplete_still_offers_image_and_document_tags(champion):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Counter", file=get_test_image_file())
    image.tags.add("storefront")
    assert client_for(champion).get("/admin/tag-autocomplete/",
                                    {"term": "store"}).json() == ["storefront"]


# --- Further admin seams -----------------------------------------------------------

def test_page_types_report_names_only_pages_the_person_may_edit(champion, programme_admin):
    """It named the last edited page of every type: champions read the titles of
    unpublished onboarding modules there."""
    from portal.models import HomePage
    from training.models import ModulePage, TrainingIndexPage

    index = HomePage.objects.get().add_child(
        instance=TrainingIndexPage(title="Learn", slug="learn"))
    module = index.add_child(instance=ModulePage(
        title="Unpublished layoffs module", slug="layoffs", summary="s", live=False))
    module.save_revision(user=programme_admin)
    url = "/admin/reports/page-types-usage/"
    page = client_for(champion).get(url)
    assert page.status_code == 200
    assert "Unpublished layoffs module" not in page.content.decode()
    assert "Unpublished layoffs module" in client_for(programme_admin).get(
        url).content.decode()


def test_programme_admin_cannot_make_or_change_superusers(admin_client_, employee):
    superuser = UserFactory(is_superuser=True, email="root@example.com")
    # No "Administrator" box, and posting one anyway grants nothing.
    page = admin_client_.get(f"/admin/users/edit/{employee.pk}/").content.decode()
    assert 'name="is_superuser"' not in page
    admin_client_.post(f"/admin/users/edit/{employee.pk}/",
                       user_edit_form(employee, is_superuser="on"))
    employee.refresh_from_db()
    assert not employee.is_superuser
    admin_client_.post("/admin/users/new/", {
        "username": "sock", "email": "sock@example.com", "first_name": "S", "last_name": "P",
        "is_superuser": "on", "display_name": "Sock", "preferred_language": "en"})
    assert not User.objects.get(username="sock").is_superuser
    # A superuser's account is out of reach: edit, and bulk deactivation.
    response = admin_client_.get(f"/admin/users/edit/{superuser.pk}/")
    assert response.status_code == 302
    admin_client_.post(f"/admin/users/edit/{superuser.pk}/",
                       user_edit_form(superuser, email="taken-over@example.com"))
    bulk = "/admin/bulk/people/user/set_active_state/"
    admin_client_.post(f"{bulk}?id={superuser.pk}", {"mark_as_active": "False"})
    superuser.refresh_from_db()
    assert superuser.email == "root@example.com"
    assert superuser.is_active


def test_workflow_preview_does_not_name_pages_to_people_who_cannot_edit_them(
        reviewer, programme_admin):
    """For a page not awaiting moderation Wagtail answered with an error message naming
    the page, to anyone with admin access who tried its id."""
    from django.contrib.messages import get_messages
    from wagtail.models import Task

    from portal.models import HomePage
    from training.models import ModulePage, TrainingIndexPage

    index = HomePage.objects.get().add_child(
        instance=TrainingIndexPage(title="Learn", slug="learn"))
    module = index.add_child(instance=ModulePage(
        title="Unpublished layoffs module", slug="layoffs", summary="s", live=False))
    url = f"/admin/pages/workflow/preview/{module.pk}/{Task.objects.first().pk}/"
    for user, named in ((reviewer, False), (programme_admin, True)):
        response = client_for(user).get(url)
        texts = " ".join(str(m) for m in get_messages(response.wsgi_request))
        assert ("Unpublished layoffs module" in texts) is named, user


def test_deleting_a_stage_or_department_in_use_is_refused_with_a_message(admin_client_):
    """Ideas are in the stage, and the department has a sub-department (PROTECT):
    Wagtail answered the delete with a 500."""
    from django.contrib.messages import get_messages

    from ideas.models import Stage
    from people.models import Department

    idea = IdeaFactory()
    Department.objects.create(name="Claims, north", parent=idea.department)
    for model, obj in ((Stage, idea.stage), (Department, idea.department)):
        url = (f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}/"
               f"delete/{obj.pk}/")
        response = admin_client_.post(url)
        assert response.status_code == 302, model
        texts = " ".join(str(m) for m in get_messages(response.wsgi_request))
        assert "cannot be deleted while other records use it" in texts
        assert model.objects.filter(pk=obj.pk).exists()
    unused = Department.objects.create(name="Unused")
    admin_client_.post(f"/admin/snippets/people/department/delete/{unused.pk}/")
    assert not Department.objects.filter(pk=unused.pk).exists()


def test_deleting_a_person_with_ideas_is_refused_with_a_message(admin_client_, employee):
    """Their ideas protect them (PROTECT): Wagtail answered the delete with a 500."""
    from django.contrib.messages import get_messages

    IdeaFactory(submitter=employee)
    for url in (f"/admin/users/delete/{employee.pk}/",
                f"/admin/bulk/people/user/delete/?id={employee.pk}"):
        response = admin_client_.post(url)
        assert response.status_code == 302, url
        texts = " ".join(str(m) for m in get_messages(response.wsgi_request))
        assert "Deactivate the account instead" in texts, url
        assert User.objects.filter(pk=employee.pk).exists()
    nobody = UserFactory()
    admin_client_.post(f"/admin/users/delete/{nobody.pk}/")
    assert not User.objects.filter(pk=nobody.pk).exists()


def test_page_chooser_does_not_browse_into_unpublished_pages_of_others(
        champion, reviewer, programme_admin):
    """Typing an unpublished page's id into the chooser showed its title."""
    from portal.models import HomePage
    from training.models import ModulePage, TrainingIndexPage

    index = HomePage.objects.get().add_child(
        instance=TrainingIndexPage(title="Learn", slug="learn"))
    module = index.add_child(instance=ModulePage(
        title="Unpublished layoffs module", slug="layoffs", summary="s", live=False))
    url = f"/admin/choose-page/{module.pk}/"
    for user in (champion, reviewer):
        response = client_for(user).get(url)
        assert "Unpublished layoffs module" not in response.content.decode(), user
    page = client_for(programme_admin).get(url).content.decode()
    assert "Unpublished layoffs module" in page
    assert client_for(champion).get(f"/admin/choose-page/{index.pk}/").status_code == 200
    assert client_for(champion).get("/admin/choose-page/" + "9" * 25 + "/").status_code == 404
