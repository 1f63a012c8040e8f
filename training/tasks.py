"""Periodic onboarding jobs (CELERY_BEAT_SCHEDULE). Thin: each calls one service.
`today` (an ISO date) lets a run stand for another day; beat passes nothing."""

from datetime import date

from celery import shared_task

from . import services


@shared_task(name="training.remind_learners")
def remind_learners(today: str | None = None) -> int:
    """Weekdays: each new hire hears about modules due soon or overdue (once per day)."""
    return services.enrolment_send_due_reminders(today=_day(today))


@shared_task(name="training.remind_managers")
def remind_managers(today: str | None = None) -> int:
    """Mondays: each manager gets one summary of their reports' overdue modules a week."""
    return services.manager_send_overdue_summaries(today=_day(today))


def _day(today: str | None) -> date | None:
    return date.fromisoformat(today) if today else None
