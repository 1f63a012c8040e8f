"""Working-day arithmetic: response targets and onboarding due dates use it.

Weekends come from settings.WEEKEND_DAYS (Mon=0). Holidays (ISO date strings) are an
argument of every function; left out, they come from the holiday provider. shared
imports no app, so the provider is registered from above: people registers the
programme settings' holidays (people.apps), which programme admins edit at run time.
Without a provider, settings.HOLIDAYS is used.

A caller computing many dates at once fetches the holidays once and passes them:

    days = current_holidays()
    rows = [working_days_between(a, b, holidays=days) for a, b in pairs]
"""

from collections.abc import Callable, Collection
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

Holidays = Collection[str]


def _from_environment() -> Holidays:
    return settings.HOLIDAYS


_provider: Callable[[], Holidays] = _from_environment


def set_holiday_provider(provider: Callable[[], Holidays] | None) -> None:
    """Make `provider()` the source of holidays when a caller passes none (None: back to
    settings.HOLIDAYS)."""
    global _provider
    _provider = provider or _from_environment


def current_holidays() -> Holidays:
    return _provider()


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def is_working_day(day: date, *, holidays: Holidays | None = None) -> bool:
    if holidays is None:
        holidays = current_holidays()
    return day.weekday() not in settings.WEEKEND_DAYS and day.isoformat() not in holidays


def add_working_days(start: date | datetime, days: int, *,
                     holidays: Holidays | None = None) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    if holidays is None:
        holidays = current_holidays()
    day = _as_date(start)
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays=holidays):
            remaining -= 1
    return day


def add_working_hours(start: datetime, hours: int, *,
                      holidays: Holidays | None = None) -> datetime:
    """The moment `hours` hours after `start` with the clock stopped on weekends and
    holidays: a response target of 24 working hours set on a Friday afternoon falls on
    Monday afternoon. Days are the company's local days (TIME_ZONE)."""
    if holidays is None:
        holidays = current_holidays()
    cursor = timezone.localtime(start)
    remaining = timedelta(hours=hours)
    # A year of days off in a row is not a calendar; stop rather than loop.
    for _ in range(366 + hours // 24):
        day = cursor.date()
        midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        if is_working_day(day, holidays=holidays):
            if remaining <= midnight - cursor:
                return cursor + remaining
            remaining -= midnight - cursor
        cursor = midnight
    return cursor + remaining


def working_days_between(start: date | datetime, end: date | datetime, *,
                         holidays: Holidays | None = None) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    first, last = _as_date(start), _as_date(end)
    if last <= first:
        return 0
    if holidays is None:
        holidays = current_holidays()
    total = (last - first).days
    full_weeks, rest = divmod(total, 7)
    workdays_per_week = 7 - len(settings.WEEKEND_DAYS)
    count = full_weeks * workdays_per_week
    day = first + timedelta(days=full_weeks * 7)
    for _ in range(rest):
        day += timedelta(days=1)
        if day.weekday() not in settings.WEEKEND_DAYS:
            count += 1
    off = sum(
        1 for h in holidays
        if first < date.fromisoformat(h) <= last
        and date.fromisoformat(h).weekday() not in settings.WEEKEND_DAYS
    )
    return count - off


def overdue_cutoff(today: date, target_days: int, *, holidays: Holidays | None = None) -> date:
    """The latest start date for which more than `target_days` working days have
    passed by `today`: anything that entered on or before it is overdue."""
    if holidays is None:
        holidays = current_holidays()
    day, counted = today, 0
    while counted < target_days + 1:
        if is_working_day(day, holidays=holidays):
            counted += 1
        day -= timedelta(days=1)
    return day
