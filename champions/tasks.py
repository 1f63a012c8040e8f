from celery import shared_task

from . import services


@shared_task(name="champions.daily_terms")
def daily_terms() -> dict:
    """Beat, 06:30: end expired terms and remind those ending soon."""
    return services.term_run_daily()


@shared_task(name="champions.insight_clock")
def insight_clock() -> dict:
    """Beat, every quarter hour: remind owners of insights near their 24-hour target
    and tell the programme admins of those past it."""
    return services.insight_run_clock()


@shared_task(name="champions.pulse_rounds")
def pulse_rounds() -> int:
    """Beat, hourly: open the pulse rounds that are due and tell their audience."""
    return services.pulse_open_due_rounds()
