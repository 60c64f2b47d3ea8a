"""The one error type services raise for a refused action: a French message for the person, and the field
it concerns when there is one. Views turn it into a form error, the API into a 400 (one handler)."""


class ServiceError(Exception):
    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class TransitionNotAllowed(ServiceError):
    pass


class AlreadyTaken(ServiceError):
    """A race lost: someone else claimed, assigned or booked first."""
