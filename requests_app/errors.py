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


class OwnedKindMove(ServiceError):
    """A request would move into or out of a kind an app owns (requests_app.registry)."""

    def __init__(self, noun: str):
        super().__init__(
            f"Impossible de changer le service : un {noun} se gère depuis sa propre page et ne passe pas "
            "d'un service à l'autre.",
            field="service",
            code="domain_owned",
        )


class AlreadyTaken(ServiceError):
    """A race lost: someone else claimed, assigned or booked first."""
