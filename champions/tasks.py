from celery import shared_task

from . import services


@shared_task(name="champions.daily_terms")
def daily_terms() -> dict:
    return services.daily_terms()
