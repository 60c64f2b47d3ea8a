"""Test settings: SQLite unless DATABASE_URL says PostgreSQL; mail in memory; fast hashing."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret-bethune-portal-0c9d8e7f6a5b4"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/bethune-test-media")  # noqa: S108
# Tests decide per test whether a broker is involved; by default tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
# allauth's limits are exercised by their own tests, which switch them back on.
ACCOUNT_RATE_LIMITS = False

PORTAL_ENV = "test"  # seed_demo and generate_requests refuse to run when this is "prod"

# Each test process keeps its own cache, emptied between tests (tests/conftest.py), even when REDIS_URL
# points at the real Redis for the worker tests: a shared cache would carry state from test to test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests sign agents in with force_login; the staff second factor is switched on by its own tests
# (tests/accounts/test_staff_mfa.py, through the `settings` fixture).
PORTAL_STAFF_MFA_REQUIRED = False
