import uuid

import filetype
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.choosers import PersonField
from people.models import User
from shared.parsing import IdField, IdModelChoiceField, IdModelMultipleChoiceField

from .models import TWO_QUESTIONS, CampaignPage, Idea, ImpactMeasurement, Stage, ThankYou

ALLOWED_ATTACHMENT_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp",
                            "application/pdf"}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Images and PDFs, recognised by their content (magic bytes), not their name."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ",".join(sorted(ALLOWED_ATTACHMENT_TYPES))

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is too large: at most 5 MB per file.") % {"name": upload.name})
            head = upload.read(2048)
            upload.seek(0)
            kind = filetype.guess(head)
            if kind is None or kind.mime not in ALLOWED_ATTACHMENT_TYPES:
                raise forms.ValidationError(
                    _("“%(name)s” is not an image or PDF (its content was checked, not its "
                      "name).") % {"name": upload.name})
            upload.content_type = kind.mime
            cleaned.append(upload)
        return cleaned


class IdeaForm(forms.ModelForm):
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500,
                           help_text=_("Separate tags with commas."))
    why_1 = forms.CharField(label=_("Why? (1)"), required=False, max_length=500)
    why_2 = forms.CharField(label=_("Why? (2)"), required=False, max_length=500)
    why_3 = forms.CharField(label=_("Why? (3)"), required=False, max_length=500)
    why_4 = forms.CharField(label=_("Why? (4)"), required=False, max_length=500)
    why_5 = forms.CharField(label=_("Why? (5)"), required=False, max_length=500)
    attachments = AttachmentsField(
        label=_("Attachments"),
        help_text=_("Images (PNG, JPEG, GIF, WebP) or PDF, at most 5 MB each, 5 in all."))
    # One per rendered "new idea" form; see Idea.submission_token.
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    WHY_FIELDS = ["why_1", "why_2", "why_3", "why_4", "why_5"]

    class Meta:
        model = Idea
        fields = ["campaign", "title", "problem", "customer_segment", "customer_detail",
                  "delight", "metric", "journey_stage", "channel", "department", "confidential"]
        field_classes = {name: IdModelChoiceField for name in
                         ["customer_segment", "journey_stage", "channel", "department",
                          "campaign"]}
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "delight": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("A short name for the idea."),
            "problem": _("What happens to customers today? Be concrete."),
            "customer_segment": _("Which customer is affected by this idea?"),
            "customer_detail": _("Describe them in your own words, if the list does not fit."),
            "delight": _("Why does it delight them?"),
        }

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The campaigns open to this person (ideas.selectors.open_campaigns_for), and the
        # draft's own; the service checks again when the idea is saved and submitted.
        campaign = self.fields["campaign"]
        ids = [c.pk for c in campaigns or []]
        if self.instance.campaign_id:
            ids.append(self.instance.campaign_id)
        campaign.queryset = CampaignPage.objects.live().filter(pk__in=ids)
        campaign.label_from_instance = lambda c: c.question
        campaign.empty_label = _("No campaign: an idea of my own")
        campaign.help_text = _("Answering a question a campaign asks? Choose it here.")
        if not ids:
            campaign.widget = forms.HiddenInput()
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
            for name, why in zip(self.WHY_FIELDS, self.instance.whys, strict=False):
                self.initial[name] = why
        if self.instance.pk is None and not self.is_bound:
            self.initial["form_token"] = uuid.uuid4()
        self.fields["customer_segment"].required = True
        self.fields["customer_segment"].empty_label = _("Choose a customer segment")

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]

    def whys(self) -> list[str]:
        return [self.cleaned_data[n] for n in self.WHY_FIELDS if self.cleaned_data.get(n)]

    def idea_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["whys"] = self.whys()
        return data


class CampaignParameterForm(forms.Form):
    """?campaign=<id> on the submit form: which campaign to preselect."""

    campaign = IdModelChoiceField(queryset=CampaignPage.objects.live(), required=False)


class TransitionForm(forms.Form):
    to_stage = IdModelChoiceField(queryset=Stage.objects.none(), label=_("Move to"))
    reason = forms.CharField(label=_("Reason (the submitter reads this)"), required=False,
                             max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    duplicate_of = IdField(label=_("Original idea number (for duplicates)"), required=False)
    expected_stage = IdModelChoiceField(queryset=Stage.objects.all(), widget=forms.HiddenInput)

    def __init__(self, *args, idea=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # Any stage is accepted here: the service checks the current stage first
            # (a stale page gets "someone else moved it") and then the allowed edges,
            # each with a message that says what happened.
            self.fields["to_stage"].queryset = Stage.objects.all()
        elif idea is not None and idea.stage_id:
            self.fields["to_stage"].queryset = idea.stage.allowed_next.all()
        if idea is not None and idea.stage_id:
            self.initial["expected_stage"] = idea.stage_id


class ScoreForm(forms.Form):
    impact = forms.IntegerField(label=_("Customer impact (1–5)"), min_value=1, max_value=5)
    reach = forms.IntegerField(label=_("Reach (1–5)"), min_value=1, max_value=5)
    confidence = forms.IntegerField(label=_("Confidence (1–5)"), min_value=1, max_value=5)
    effort = forms.IntegerField(label=_("Effort (1–5, 5 = most)"), min_value=1, max_value=5)


class TextForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why hide this comment?"), max_length=300)


def reviewer_choices():
    return User.objects.filter(is_active=True, groups__permissions__codename="review_idea"
                               ).distinct().order_by("display_name")


class AssignForm(forms.Form):
    assignee = IdModelChoiceField(queryset=User.objects.none(), required=False,
                                  label=_("Assign to"), empty_label=_("Nobody"))
    ideas = IdModelMultipleChoiceField(queryset=Idea.objects.none(), required=False,
                                       widget=forms.MultipleHiddenInput)

    def __init__(self, *args, ideas_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewer_choices()
        self.fields["assignee"].label_from_instance = lambda u: u.name
        if ideas_qs is not None:
            self.fields["ideas"].queryset = ideas_qs


class BulkDecideForm(forms.Form):
    """Move the ideas selected in the queue to one stage, with one reason
    (ideas.services.ideas_decide). A duplicate needs its own original, so it is decided
    one idea at a time."""

    MAX_IDEAS = 100
    # It shares the queue's one <form> with the bulk assignment: a `required` stage
    # select would stop the browser from sending "Assign selected". The server checks.
    use_required_attribute = False

    ideas = IdModelMultipleChoiceField(
        queryset=Idea.objects.none(), widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select the ideas to move.")})
    to_stage = IdModelChoiceField(
        queryset=Stage.objects.exclude(kind=Stage.Kind.DUPLICATE), label=_("Move to"),
        empty_label=_("Choose a stage"),
        error_messages={"required": _("Choose the stage to move the selected ideas to.")})
    reason = forms.CharField(
        label=_("Reason (the submitters read it)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ideas_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].label_from_instance = lambda stage: stage.label
        if ideas_qs is not None:
            self.fields["ideas"].queryset = ideas_qs

    def clean_ideas(self):
        ideas = self.cleaned_data["ideas"]
        if len(ideas) > self.MAX_IDEAS:
            raise forms.ValidationError(
                _("Select at most %(n)s ideas at a time.") % {"n": self.MAX_IDEAS})
        return ideas


class ImpactForm(forms.ModelForm):
    """The measured impact of an implemented idea (ideas.services.impact_record)."""

    class Meta:
        model = ImpactMeasurement
        fields = ["unit", "baseline", "target", "measured", "measured_on", "method",
                  "evidence"]
        widgets = {"measured_on": forms.DateInput(attrs={"type": "date"}),
                   "method": forms.Textarea(attrs={"rows": 2}),
                   "evidence": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"baseline": _("The metric before the change."),
                      "measured": _("The metric after it, measured the same way.")}

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        # The scale follows the idea's metric (ImpactMeasurement.clean).
        self.instance.metric = idea.metric

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SponsorForm(forms.Form):
    sponsor = IdModelChoiceField(queryset=User.objects.filter(is_active=True), required=False,
                                 label=_("Owner / sponsor"), empty_label=_("Nobody yet"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].label_from_instance = lambda u: u.name


SCORE_FIELDS = ("impact", "reach", "confidence", "effort")


# Amazon's two questions in the review panel: yes, no, or not checked yet.
ANSWERS = [("", _("Not checked yet")), ("yes", _("Yes")), ("no", _("No"))]
ANSWER_OF = {None: "", True: "yes", False: "no"}


def _answer(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ReviewForm(forms.Form):
    """The reviewer's one decision panel (services.idea_review): where the idea goes and
    why, the scorecard, who reviews it, who owns it, and a note, saved together."""

    to_stage = IdModelChoiceField(queryset=Stage.objects.none(), required=False,
                                  label=_("Move to"), empty_label=_("Keep it where it is"))
    reason = forms.CharField(label=_("Reason (the submitter reads this)"), required=False,
                             max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    duplicate_of = IdField(label=_("Original idea number (for duplicates)"), required=False)
    expected_stage = IdModelChoiceField(queryset=Stage.objects.all(), widget=forms.HiddenInput)
    impact = forms.IntegerField(label=_("Customer impact (1–5)"), min_value=1, max_value=5,
                                required=False)
    reach = forms.IntegerField(label=_("Reach (1–5)"), min_value=1, max_value=5,
                               required=False)
    confidence = forms.IntegerField(label=_("Confidence (1–5)"), min_value=1, max_value=5,
                                    required=False)
    effort = forms.IntegerField(label=_("Effort (1–5, 5 = most)"), min_value=1, max_value=5,
                                required=False)
    assignee = IdModelChoiceField(queryset=User.objects.none(), required=False,
                                  label=_("Reviewer"), empty_label=_("Nobody"))
    sponsor = PersonField(queryset=User.objects.filter(is_active=True), required=False,
                          label=_("Owner / sponsor"),
                          help_text=_("For accepted ideas: type a name and choose, or type "
                                      "their e-mail address. Empty: nobody yet."))
    note = forms.CharField(label=_("Internal note (only reviewers and programme admins "
                                   "see it)"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    customer_named = forms.TypedChoiceField(
        label=TWO_QUESTIONS[0][1], required=False, choices=ANSWERS, coerce=_answer,
        empty_value=None, widget=forms.RadioSelect)
    delight_explained = forms.TypedChoiceField(
        label=TWO_QUESTIONS[1][1], required=False, choices=ANSWERS, coerce=_answer,
        empty_value=None, widget=forms.RadioSelect)

    def __init__(self, *args, idea, reviewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.idea = idea
        if self.is_bound:
            # As in TransitionForm: the service checks the edge and says what is wrong.
            self.fields["to_stage"].queryset = Stage.objects.all()
        elif idea.stage_id:
            self.fields["to_stage"].queryset = idea.stage.allowed_next.all()
        # The current assignee stays a choice even if they no longer review, so keeping
        # them does not block the rest of the panel.
        self.fields["assignee"].queryset = User.objects.filter(
            Q(pk__in=reviewer_choices().values("pk")) | Q(pk=idea.assignee_id)
        ).order_by("display_name")
        self.fields["assignee"].label_from_instance = lambda u: u.name
        if not idea.stage_id or idea.stage.kind not in Stage.ACCEPTED_KINDS:
            # An owner is named once the idea is accepted (it may be accepted right here:
            # the field shows again on the next page).
            del self.fields["sponsor"]
        if not self.is_bound:
            mine = idea.scores.filter(reviewer=reviewer).first()
            self.initial.update({
                "expected_stage": idea.stage_id, "assignee": idea.assignee_id,
                "sponsor": idea.sponsor_id,
                **{f: ANSWER_OF[getattr(idea, f)] for f, _label in TWO_QUESTIONS},
                **({f: getattr(mine, f) for f in SCORE_FIELDS} if mine else {})})

    def clean(self):
        data = super().clean()
        given = [f for f in SCORE_FIELDS if data.get(f) is not None]
        if given and len(given) < len(SCORE_FIELDS):
            raise forms.ValidationError(_("Give all four scores, or none."))
        return data

    def review_arguments(self) -> dict:
        """What services.idea_review takes; the duplicate's original is looked up by
        the view (it must be an idea the reviewer may see)."""
        data = self.cleaned_data
        arguments = {
            "to_stage": data["to_stage"], "reason": data["reason"],
            "expected_stage": data["expected_stage"], "note": data["note"].strip(),
            "scores": ({f: data[f] for f in SCORE_FIELDS}
                       if data.get("impact") is not None else None),
            "assignee": data["assignee"],
            # Only the questions the panel sent: a form without them (an older page, a
            # script) leaves the answers as they are.
            "questions": ({f: data.get(f) for f, _label in TWO_QUESTIONS}
                          if all(f in self.data for f, _label in TWO_QUESTIONS) else None),
        }
        if "sponsor" in self.fields:
            arguments["sponsor"] = data["sponsor"]
        return arguments


class CoauthorInviteForm(forms.Form):
    person = PersonField(queryset=User.objects.filter(is_active=True),
                         label=_("Colleague's name or e-mail address"))


class CoauthorAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class ThankYouForm(forms.Form):
    body = forms.CharField(label=_("Your thank-you note"), max_length=ThankYou.MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("The idea's contributors are told. At most 500 "
                                       "characters."))
