from allauth.account.models import EmailAddress
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from people.adapters import company_domains_text, is_company_email
from people.models import PROFILE_FIELDS, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = PROFILE_FIELDS
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "display_name": _("How colleagues see your name, in any script."),
            "preferred_language": _("The intranet switches to it when you sign in."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        manager = self.fields["manager"]
        manager.queryset = User.objects.filter(is_active=True).exclude(pk=self.instance.pk)
        manager.label_from_instance = lambda u: f"{u.name} <{u.email}>"


class CompanyEmailMixin:
    """The address a programme admin types in Wagtail's user admin obeys the sign-up
    rules: a company domain, and one account per mailbox whatever the case (allauth
    treats Noor@Example.com and noor@example.com as one address, secondary addresses
    included)."""

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if not is_company_email(email):
            raise forms.ValidationError(
                _("Use a company e-mail address (%(domains)s).")
                % {"domains": company_domains_text()})
        others = User.objects.exclude(pk=self.instance.pk)
        if (others.filter(email__iexact=email).exists()
                or EmailAddress.objects.filter(email__iexact=email)
                .exclude(user_id=self.instance.pk).exists()):
            raise forms.ValidationError(
                _("This e-mail address already belongs to another person."))
        return email


class NoSuperuserFieldMixin:
    """Wagtail offers its "Administrator" (superuser) box to anyone who may change users:
    a programme admin could make anyone, a second account of their own included, a
    superuser. Roles are groups here; superusers are made with manage.py createsuperuser."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)


class RolesThroughServiceMixin:
    """Wagtail's user form would write the groups itself, bypassing user_set_roles (so
    unticking Employee silently dropped a person from newsletter subscribers and
    nominations). The chosen groups are kept on the person instead, and the
    after_create_user / after_edit_user hook (people.wagtail_hooks) hands them to the
    service, which keeps Employee and logs the change."""

    def _save_m2m(self):
        groups = self.cleaned_data.pop("groups", None)
        super()._save_m2m()
        if groups is not None:
            self.instance.groups_from_admin = list(groups)


class WagtailUserEditForm(RolesThroughServiceMixin, NoSuperuserFieldMixin, CompanyEmailMixin,
                          UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


class WagtailUserCreationForm(RolesThroughServiceMixin, NoSuperuserFieldMixin,
                              CompanyEmailMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)

    def save(self, commit=True):
        user = super().save(commit=False)
        if not self.password_enabled:
            # Wagtail sets no password (WAGTAILUSERS_PASSWORD_ENABLED): the person chooses
            # one through allauth's reset, which needs no existing password.
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user
