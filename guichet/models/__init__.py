from guichet.models.digest import DigestSent
from guichet.models.queue import ReplyTemplate, SavedFilter
from guichet.models.visits import Visit, VisitOutcome, VisitStatus

__all__ = ["DigestSent", "ReplyTemplate", "SavedFilter", "Visit", "VisitOutcome", "VisitStatus"]
