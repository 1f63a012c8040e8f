"""Working hours: the insights' 24-hour clock stops on weekends and holidays."""

from datetime import datetime
from zoneinfo import ZoneInfo

from shared.workdays import add_working_hours

UTC = ZoneInfo("UTC")


def at(day, hour=0, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def test_a_day_of_working_hours_from_a_tuesday_is_wednesday_same_time():
    assert add_working_hours(at(1, 9, 30), 24, holidays=()) == at(2, 9, 30)


def test_the_clock_stops_over_the_weekend():
    # Friday 4 December 15:00 → Monday 7 December 15:00.
    assert add_working_hours(at(4, 15), 24, holidays=()) == at(7, 15)


def test_a_holiday_on_monday_moves_it_to_tuesday():
    assert add_working_hours(at(4, 15), 24, holidays={"2026-12-07"}) == at(8, 15)


def test_logged_on_saturday_the_clock_starts_monday_morning():
    assert add_working_hours(at(5, 10), 24, holidays=()) == at(8, 0)


def test_a_calendar_with_no_working_day_does_not_loop_forever(settings):
    settings.WEEKEND_DAYS = {0, 1, 2, 3, 4, 5, 6}
    assert add_working_hours(at(1), 24, holidays=()) > at(1)
