"""What the newsletter's pages read from requests: parsed here, never by hand."""

from django import forms
from django.core.validators import RegexValidator

from .emails import user_from_token

# A signed unsubscribe token is well under this; longer is not one of ours.
MAX_TOKEN_LENGTH = 300


class UnsubscribeForm(forms.Form):
    """The signed token of a one-click unsubscribe link (from the URL): valid only for
    an existing person, with our signature."""

    token = forms.CharField(max_length=MAX_TOKEN_LENGTH, strip=False)

    def clean_token(self):
        person = user_from_token(self.cleaned_data["token"])
        if person is None:
            # Django's own (translated) "Enter a valid value."; the page says more.
            raise forms.ValidationError(RegexValidator.message, code="invalid")
        self.cleaned_data["person"] = person
        return self.cleaned_data["token"]

    @property
    def person(self):
        return self.cleaned_data["person"]


class SubscriptionForm(forms.Form):
    """Subscribe ("1") or stop the e-mails ("0")."""

    subscribe = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")],
                                       coerce=lambda value: value == "1")


class SendControlForm(forms.Form):
    """A button on a send's progress page."""

    action = forms.ChoiceField(choices=[("pause", "pause"), ("resume", "resume"),
                                        ("retry", "retry")])


class ConfirmPublishForm(forms.Form):
    """The confirmation before the first publish of an issue: publish the revision shown
    (the latest), or approve the issue's last workflow task, with the approver's comment."""

    action = forms.ChoiceField(choices=[("publish", "publish"), ("approve", "approve")],
                               required=False)
    revision = forms.IntegerField(required=False)
    comment = forms.CharField(required=False, max_length=5000)

    def __init__(self, data, *, issue, user):
        super().__init__(data)
        self.issue = issue
        self.user = user
        self.latest = issue.get_latest_revision()
        task = issue.current_workflow_task
        self.can_approve = task is not None and any(
            name == "approve" for name, _label, _modal in task.get_actions(issue, user))
        self.can_publish = issue.permissions_for_user(user).can_publish()
        # What the page offers: approval while the issue awaits it, else publishing.
        asked = data.get("action") if data else None
        if asked == "publish" and self.can_publish:
            self.action = "publish"
        elif self.can_approve:
            self.action = "approve"
        else:
            self.action = "publish"

    def clean_action(self):
        return self.action

    def clean_revision(self):
        from django.utils.translation import gettext

        revision = self.cleaned_data.get("revision")
        if self.latest is None or revision != self.latest.pk:
            raise forms.ValidationError(gettext(
                "The issue has changed since this page was shown: check it and confirm "
                "again."))
        return self.latest
