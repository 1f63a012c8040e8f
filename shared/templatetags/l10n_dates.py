"""Dates, durations and numbers in the reader's calendar and digits (shared.l10n).

    {% load l10n_dates %}
    <time datetime="{{ d|date:'c' }}">{{ d|local_date }}</time>
    {{ d|local_date:"short" }} {{ dt|local_datetime }} {{ start|local_since:end }}
    {{ count|local_number }} {{ rate|local_number:1 }}

For text shown to people only: machine values (datetime attributes, URLs, form values,
data-* attributes) keep Django's own filters and ASCII digits."""

from django import template

from shared import l10n

register = template.Library()


@register.filter
def local_date(value, form="long"):
    return l10n.format_date(value, form or "long")


@register.filter
def local_datetime(value, form="long"):
    return l10n.format_datetime(value, form or "long")


@register.filter
def local_month(value):
    return l10n.format_month(value)


@register.filter
def local_since(value, end=None):
    return l10n.format_duration(value, end)


@register.filter
def local_number(value, decimals=None):
    if decimals not in (None, ""):
        try:
            decimals = int(decimals)
        except (TypeError, ValueError):
            decimals = None
    return l10n.format_number(value, decimals)


@register.filter
def local_digits(value):
    return l10n.local_digits(value)


@register.filter
def local_count(value):
    """For `{% blocktranslate count n=x|local_count %}`: still a number for the plural
    form, shown grouped and in the reader's digits."""
    return l10n.count(value)


@register.filter
def local_percent(value, decimals=None):
    """A percentage with the reader's digits and percent sign: `{{ rate|local_percent }}`
    (the value is already a percentage: 45 for 45%)."""
    if decimals not in (None, ""):
        try:
            decimals = int(decimals)
        except (TypeError, ValueError):
            decimals = None
    return l10n.format_percent(value, decimals)
