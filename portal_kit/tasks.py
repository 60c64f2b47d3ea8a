"""Tasks of the project package: only the health ping, which proves a worker can reach the database."""

from celery import shared_task
from django.db import OperationalError

from portal_kit.models import HealthPing


@shared_task(
    name="portal_kit.tasks.health_ping_task",
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=True,
    retry_backoff_max=30,
    soft_time_limit=10,
    time_limit=20,
)
def health_ping_task(token: str) -> str:
    # get_or_create on the unique token: a redelivered message (acks_late) records the ping once.
    HealthPing.objects.get_or_create(token=token)
    return token
