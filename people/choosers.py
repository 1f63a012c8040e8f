"""Choosing a person without a list of every employee: a text field that takes an
e-mail address (typed, or picked from the suggestions static/js/person-chooser.js
shows while typing a name), or an id (what scripts and tests post).

A company of thousands cannot be a <select>: the page would carry every name, and
nobody scrolls to the right one."""

import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models.functions import Lower
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from shared.parsing import IdModelChoiceField, IdModelMultipleChoiceField, parse_id

from .models import User

MAX_EMAIL = 254
# Several addresses may be typed one per line, or separated by commas or spaces.
SEPARATORS = re.compile(r"[\s,;]+")

NOBODY_WITH_THAT_ADDRESS = _("Nobody active here has the e-mail address %(email)s.")
RESULTS = _("%s people found; use the arrow keys to choose.")
TOO_LONG = _("An e-mail address has at most 254 characters.")


def _email_of(value) -> str:
    if isinstance(value, User):
        return value.email
    if (pk := parse_id(value)) is not None:
        return User.objects.filter(pk=pk).values_list("email", flat=True).first() or ""
    return value or ""


def _search_attrs(attrs, *, multiple: bool) -> dict:
    return {"data-person-search": reverse_lazy("person_search"), "autocomplete": "off",
            "data-results-text": RESULTS,
            "spellcheck": "false", **({"data-person-multiple": ""} if multiple else {}),
            **(attrs or {})}


class PersonInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(_search_attrs(attrs, multiple=False))

    def format_value(self, value):
        return _email_of(value) or None


class PeopleInput(forms.Textarea):
    def __init__(self, attrs=None):
        super().__init__(_search_attrs({"rows": 3, **(attrs or {})}, multiple=True))

    def value_from_datadict(self, data, files, name):
        # Each posted value may hold several addresses (a textarea) or be one id.
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [part for value in values if value
                for part in SEPARATORS.split(str(value).strip()) if part]

    def format_value(self, value):
        if not value:
            return ""
        values = value if isinstance(value, list | tuple) else [value]
        return "\n".join(filter(None, (_email_of(v) for v in values)))


MAX_PEOPLE = 500
TOO_MANY = _("At most 500 people at once.")


def _by_email(queryset, emails: list[str]) -> set[int]:
    """The ids of the people with these addresses (any case), in one query; an unknown
    address is named in the error."""
    if len(emails) > MAX_PEOPLE:
        raise forms.ValidationError(TOO_MANY, code="invalid")
    for email in emails:
        ProhibitNullCharactersValidator()(email)
        if len(email) > MAX_EMAIL:
            raise forms.ValidationError(TOO_LONG, code="invalid")
    found = dict(queryset.annotate(address=Lower("email"))
                 .filter(address__in={e.lower() for e in emails})
                 .values_list("address", "pk"))
    for email in emails:
        if email.lower() not in found:
            raise forms.ValidationError(NOBODY_WITH_THAT_ADDRESS, code="invalid_choice",
                                        params={"email": email})
    return set(found.values())


def _is_email(value) -> bool:
    return isinstance(value, str) and "@" in value


class PersonField(IdModelChoiceField):
    """One active person, by e-mail address or id."""

    widget = PersonInput

    def to_python(self, value):
        if _is_email(value):
            (pk,) = _by_email(self.queryset, [value.strip()])
            return self.queryset.get(pk=pk)
        return super().to_python(value)


class PeopleField(IdModelMultipleChoiceField):
    """Several people, by e-mail addresses (one per line) or ids."""

    widget = PeopleInput

    def clean(self, value):
        value = list(value or [])
        if not value:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        found = _by_email(self.queryset, [v for v in value if _is_email(v)])
        ids = [v for v in value if not _is_email(v)]
        if ids:
            found |= set(super().clean(ids).values_list("pk", flat=True))
        # One row per person, whichever way they were named.
        return self.queryset.filter(pk__in=found)
