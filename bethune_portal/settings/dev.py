"""The embedded default (`make run`): SQLite, tasks in-process, mail printed on the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed development key: dev settings never serve the public (prod refuses to start without one).
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-bethune-portal-9f2c1a7e4b6d8")  # noqa: S105

PORTAL_ENV = "dev"  # seed_demo and generate_requests refuse to run when this is "prod"
# Demo staff sign in with a password alone (make run says so); STAFF_MFA_REQUIRED=true to try TOTP.
PORTAL_STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)
