from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import User

PROFILE_FIELDS = ["display_name", "department", "job_title", "start_date", "manager",
                  "preferred_language"]


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


class NotificationSettingsForm(forms.Form):
    email_delivery = forms.ChoiceField(
        label=_("Notification e-mails"), choices=User.EmailDelivery.choices,
        widget=forms.RadioSelect,
        help_text=_("Everything always appears in your notifications in the intranet."),
    )
    email_topics = forms.MultipleChoiceField(
        label=_("E-mail me about"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a topic to see it only in the intranet."),
    )

    def __init__(self, *args, **kwargs):
        from .notifications import TOPICS

        super().__init__(*args, **kwargs)
        self.fields["email_topics"].choices = list(TOPICS.items())


class WagtailUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


class WagtailUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)
