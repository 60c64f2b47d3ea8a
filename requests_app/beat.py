"""Celery beat's schedule, read from the registry: each app declares its periodic tasks in its
registration, and beat (started with this scheduler, see CELERY_BEAT_SCHEDULER) runs them all."""

from celery.beat import PersistentScheduler

from requests_app.registry import registry


def beat_schedule() -> dict[str, dict]:
    return {task.name: {"task": task.task, "schedule": task.schedule} for task in registry.periodic_tasks()}


class RegistryScheduler(PersistentScheduler):
    """The default scheduler, with the registry's entries merged into the configured ones. Beat creates it
    after Django is set up (and so after every AppConfig.ready() has registered)."""

    def setup_schedule(self):
        self.app.conf.beat_schedule = {**(self.app.conf.beat_schedule or {}), **beat_schedule()}
        super().setup_schedule()
