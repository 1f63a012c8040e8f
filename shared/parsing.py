"""Ids, numbers and dates from requests and URLs are parsed here, and only here.

Parameters parsed by hand gave server errors: "²" passes str.isdigit() but int() refuses
it, and an id beyond 64 bits overflows the database driver (SQLite: "Python int too large
to convert to SQLite INTEGER"; PostgreSQL: out of range for bigint) in the lookups Django
does not guard itself (`__in`, foreign keys, Wagtail's page pointers). A date range of
9,999 years overflowed the calendar ("year 10000") or built a 26 MB page.

Views read such values only through the fields and the `<id:...>` path converter below:
a bad value is refused before any query runs, as a form error (400), an invalid filter
(400) or an unknown URL (404), never a 500.
"""

from datetime import date, timedelta

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

# The largest id a 64-bit signed column holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))

# Django's own (already translated) wording for a number that is not one, or not in range.
INVALID_NUMBER = forms.IntegerField.default_error_messages["invalid"]


def to_id(value) -> int:
    """A database id from a request value, or a ValidationError.

    Digits only (no sign, no decimal point, no exponent), 1 to MAX_ID. Decimal digits of
    any script are read as numbers (int() reads them, and a Persian or Thai keyboard
    types "۴۲" or "๔๒" for 42); other characters that str.isdigit() accepts, such as
    superscripts ("²"), are refused."""
    if isinstance(value, bool):  # bool is an int subclass; True is not an id
        raise ValidationError(INVALID_NUMBER, code="invalid")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isdecimal():
            raise ValidationError(INVALID_NUMBER, code="invalid")
        # Length first: int() of thousands of digits is slow and refused past 4,300.
        if len(text.lstrip("0") or "0") > MAX_ID_DIGITS:
            number = MAX_ID + 1
        else:
            number = int(text)
    MinValueValidator(1)(number)
    MaxValueValidator(MAX_ID)(number)
    return number


def parse_id(value) -> int | None:
    """to_id() for optional parameters: None instead of a ValidationError."""
    try:
        return to_id(value)
    except ValidationError:
        return None


class IdConverter:
    """`<id:pk>` in URL patterns: ASCII digits for a 64-bit id (ids the site links to);
    anything else, including 0 and huge numbers, matches no URL (404)."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        try:
            return to_id(value)
        except ValidationError as exc:
            raise ValueError(value) from exc  # Django: this pattern does not match

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")


class IdField(forms.IntegerField):
    """A number typed or posted as an id (an idea number, a duplicate's original)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return to_id(value)
        except ValidationError as exc:
            if exc.code != "invalid":
                raise
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _ids(values, error: ValidationError) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(to_id(value))
        except ValidationError as exc:
            raise error from exc
    return ids


def _is_null_choice(field, value) -> bool:
    """django-filter's "no value" choice, when a filter offers one (null_label)."""
    return getattr(field, "null_label", None) is not None and value == field.null_value


class IdChoiceMixin:
    """For a ModelChoiceField keyed by id: a value that cannot be an id is refused before
    any query (a huge id overflows the lookup on foreign-key and page primary keys)."""

    def to_python(self, value):
        if (value in self.empty_values or self.to_field_name
                or isinstance(value, self.queryset.model) or _is_null_choice(self, value)):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        pk = parse_id(value)
        if pk is None:
            raise ValidationError(self.error_messages["invalid_choice"],
                                  code="invalid_choice", params={"value": value})
        return super().to_python(pk)


class IdMultipleChoiceMixin:
    """For a ModelMultipleChoiceField keyed by id: every value is checked as an id first
    (Django's `pk__in` lookup has no overflow guard)."""

    def _check_values(self, value):
        if self.to_field_name:
            return super()._check_values(value)
        try:
            values = frozenset(value)
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"],
                                  code="invalid_list") from None
        ids = []
        for pk in values:
            if _is_null_choice(self, pk):
                ids.append(pk)
                continue
            self.validate_no_null_characters(pk)
            if (number := parse_id(pk)) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": pk})
            ids.append(number)
        return super()._check_values(ids)


class IdModelChoiceField(IdChoiceMixin, forms.ModelChoiceField):
    pass


class IdModelMultipleChoiceField(IdMultipleChoiceMixin, forms.ModelMultipleChoiceField):
    pass


class IdListField(forms.Field):
    """Several ids posted under one name (checkboxes, hidden inputs), not tied to a
    model: the view filters by them itself."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": INVALID_NUMBER}

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, str | int):
            value = [value]
        return sorted(set(_ids(value, ValidationError(self.error_messages["invalid"],
                                                      code="invalid"))))


class _IdFilterChoiceField(IdChoiceMixin, django_filters.fields.ModelChoiceField):
    pass


class _IdFilterMultipleChoiceField(IdMultipleChoiceMixin,
                                   django_filters.fields.ModelMultipleChoiceField):
    pass


class IdModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _IdFilterChoiceField


class IdModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _IdFilterMultipleChoiceField


class DateRangeForm(forms.Form):
    """A period from `start` to `end` (both optional, both included), at most
    MAX_YEARS long: a longer one is a typo or an attack, and pages that chart it month
    by month would grow without bound."""

    MAX_YEARS = 5

    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, default: tuple[date, date], **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start = data.get("start") or self.default[0]
        end = data.get("end") or self.default[1]
        if end < start:
            raise ValidationError(_("The end date is before the start date."),
                                  code="reversed")
        # Leap days included: five calendar years are at most 5 * 366 days.
        if end - start > timedelta(days=366 * self.MAX_YEARS):
            raise ValidationError(_("Choose a period of at most %(years)s years."),
                                  code="too_long", params={"years": self.MAX_YEARS})
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[date, date]:
        return self.cleaned_data["start"], self.cleaned_data["end"]
