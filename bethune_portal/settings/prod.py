"""Production: every secret from the environment, HTTPS everywhere, pooled PostgreSQL connections."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY manquante : définissez la variable d'environnement SECRET_KEY "
        "(au moins 50 caractères aléatoires) avant de démarrer en production."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS manquante : définissez ALLOWED_HOSTS (ex. services.bethune.fr) en production."
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool through Django: no connection set-up per request.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 10, "timeout": 10}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

TEMPLATES[0]["APP_DIRS"] = False  # noqa: F405
TEMPLATES[0]["OPTIONS"]["loaders"] = [  # noqa: F405
    (
        "django.template.loaders.cached.Loader",
        ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
    )
]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Staff enrol a second factor before any back-office page: never switched off in production, whatever
# STAFF_MFA_REQUIRED says.
PORTAL_STAFF_MFA_REQUIRED = True

PORTAL_ENV = "prod"  # seed_demo and generate_requests refuse to run when this is "prod"
# No demo data in production: the app that makes it is not even installed (and not in the image).
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "demo"]  # noqa: F405
