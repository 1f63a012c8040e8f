from celery import shared_task

from . import services


@shared_task(name="champions.daily_terms")
def daily_terms() -> dict:
    """Beat, 06:30: end expired terms and remind those ending soon."""
    return services.term_run_daily()
