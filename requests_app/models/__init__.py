from requests_app.models.catalogue import FieldType, Service, ServiceField, ServiceKind
from requests_app.models.documents import Document, DocumentKind
from requests_app.models.outbox import Notification, NotificationStatus
from requests_app.models.reference import Espace, OpeningPeriod, Quartier, Site, Street
from requests_app.models.request import (
    Attachment,
    Channel,
    EventKind,
    Message,
    Priority,
    ReferenceCounter,
    Request,
    RequestEvent,
    Status,
)

__all__ = [
    "Attachment",
    "Channel",
    "Document",
    "DocumentKind",
    "Espace",
    "EventKind",
    "FieldType",
    "Message",
    "Notification",
    "NotificationStatus",
    "OpeningPeriod",
    "Priority",
    "Quartier",
    "ReferenceCounter",
    "Request",
    "RequestEvent",
    "Service",
    "ServiceField",
    "ServiceKind",
    "Site",
    "Status",
    "Street",
]
