"""Thin tasks: each calls an ideas service."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import semantic, services


@shared_task(name="ideas.remind_overdue")
def remind_overdue() -> int:
    """Daily (weekdays 07:00): reminders of overdue ideas (services.idea_send_overdue_reminders)."""
    return services.idea_send_overdue_reminders(today=timezone.localdate())


@shared_task(name="ideas.campaigns_daily")
def campaigns_daily() -> dict:
    """Daily (07:05): campaign launch, closing reminder and results notices
    (services.campaigns_daily)."""
    return services.campaigns_daily(today=timezone.localdate())


@shared_task(name="ideas.impact_reminders")
def impact_reminders() -> int:
    """Weekdays 07:10: ask owners for the measured impact of implemented ideas
    (services.impact_send_reminders)."""
    return services.impact_send_reminders(today=timezone.localdate())


@shared_task(name="ideas.embed_idea")
def embed_idea(idea_id: int) -> int:
    """After submit (queued on commit by services.idea_submit when SEARCH_EMBEDDINGS is
    on): the idea's sentence embedding (semantic.idea_embed; 0 when the backend is off)."""
    return semantic.idea_embed(idea_ids=[idea_id])


@shared_task(name="ideas.embed_sweep")
def embed_sweep() -> int:
    """Every EMBEDDING_SWEEP_SECONDS: vectors missing, stale or of another model, at most
    EMBEDDING_SWEEP_LIMIT per run (semantic.idea_embed_sweep; 0 when the backend is off)."""
    return semantic.idea_embed_sweep(limit=settings.EMBEDDING_SWEEP_LIMIT)
