"""Working-day arithmetic: response targets and onboarding due dates use it.
Weekends come from settings.WEEKEND_DAYS (Mon=0), holidays from settings.HOLIDAYS."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def is_working_day(day: date) -> bool:
    return day.weekday() not in settings.WEEKEND_DAYS and day.isoformat() not in settings.HOLIDAYS


def add_working_days(start: date | datetime, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    day = _as_date(start)
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    first, last = _as_date(start), _as_date(end)
    if last <= first:
        return 0
    total = (last - first).days
    full_weeks, rest = divmod(total, 7)
    workdays_per_week = 7 - len(settings.WEEKEND_DAYS)
    count = full_weeks * workdays_per_week
    day = first + timedelta(days=full_weeks * 7)
    for _ in range(rest):
        day += timedelta(days=1)
        if day.weekday() not in settings.WEEKEND_DAYS:
            count += 1
    holidays = sum(
        1 for h in settings.HOLIDAYS
        if first < date.fromisoformat(h) <= last
        and date.fromisoformat(h).weekday() not in settings.WEEKEND_DAYS
    )
    return count - holidays


def overdue_cutoff(today: date, target_days: int) -> date:
    """The latest start date for which more than `target_days` working days have
    passed by `today`: anything that entered on or before it is overdue."""
    day, counted = today, 0
    while counted < target_days + 1:
        if is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    return day
