"""Celery tasks of the exchange app: thin wrappers around its services."""

from celery import shared_task

from . import services


@shared_task
def forget_expired_uploads() -> int:
    """Deletes import files whose preview has expired (scheduled every 15 minutes)."""
    return services.forget_expired_uploads()
