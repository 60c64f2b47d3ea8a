"""The notification outbox, write side: a row is written in the transaction of the event it tells about and
sent after commit (requests_app.enqueue); requests_app.delivery claims and sends it, and a periodic sweep
re-sends what a dead worker or broker left behind."""

from requests_app.enqueue import notification_send_after_commit
from requests_app.models import Notification, RequestEvent


def notification_enqueue(
    *, event: RequestEvent, template: str, recipient: str, context: dict | None = None, channel: str = "email"
) -> Notification:
    """Write the outbox row with the event (call inside the event's transaction); sent after commit."""
    notification, created = Notification.objects.get_or_create(
        event=event,
        channel=channel,
        recipient=recipient.lower(),
        defaults={"request_id": event.request_id, "template": template, "context": context or {}},
    )
    if created:
        notification_send_after_commit(notification.pk)
    return notification
