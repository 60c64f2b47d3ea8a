"""Settings shared by every mode. Values that differ between machines come from the environment
(django-environ); see README "Variables d'environnement"."""

import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SUPPORTED_DATABASE_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}


def database_from_env(default: str) -> dict:
    """Parse DATABASE_URL, turning a malformed value into one line that says what to set."""
    raw = env.str("DATABASE_URL", default=default)
    try:
        # django-environ warns (a second line on stderr) before returning an empty ENGINE; the
        # ImproperlyConfigured below says the same thing in one line.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = environ.Env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several types for bad URLs
        raise ImproperlyConfigured(
            f"DATABASE_URL mal formée ({raw!r}) : attendu postgres://utilisateur:mot-de-passe@hôte:5432/base "
            f"ou sqlite:////chemin/base.sqlite3 ({exc})."
        ) from None
    # An unknown scheme ("nonsense://x") comes back with the scheme as ENGINE; Django would then fail
    # later with a multi-line import error, so only the two engines the portal supports pass.
    if config.get("ENGINE") not in SUPPORTED_DATABASE_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL mal formée ({raw!r}) : schéma inconnu, utilisez postgres:// ou sqlite://."
        )
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("connect_timeout", 5)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite (the embedded default, `make run`): a transaction that reads, then writes (a booking reads
        # its slot, then takes the seat) cannot wait for another writer once it holds a read lock, and two
        # at once answered 500 "database is locked". IMMEDIATE takes the write lock at BEGIN, so writers
        # queue instead: `timeout` (seconds) is SQLite's busy timeout, for BEGIN and for statements outside
        # a transaction alike. WAL lets pages read while a writer works (and the -wal/-shm files appear).
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
        config["OPTIONS"].setdefault("timeout", 20)
        config["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    return config


DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Ours, in dependency order (see docs/architecture.md "Layers").
    "portal_kit",
    "accounts",
    "requests_app",
    "appointments",
    "encombrants",
    "associations",
    "guichet",
    "dashboards",
    "demo",  # demo data and the generator: removed by the production settings
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal_kit.body_cap.RequestBodyCapMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal_kit.input_cleaning.InputCleaningMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal_kit.cache_control.NoStoreMiddleware",  # no-store on personal answers (after request.user)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff: a second factor before any page, 30 minutes idle at most (accounts/mfa_required.py).
    "accounts.mfa_required.StaffMfaRequiredMiddleware",
    "accounts.mfa_required.StaffIdleExpiryMiddleware",
]

ROOT_URLCONF = "bethune_portal.urls"
WSGI_APPLICATION = "bethune_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "requests_app.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login, verified before anything is filed online.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ville de Béthune] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's own limits stay on (these are its defaults, written out so that a change is deliberate).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The first TOTP activation also makes this many single-use recovery codes, shown right after.
MFA_RECOVERY_CODE_COUNT = 10
MFA_TOTP_ISSUER = "Ville de Béthune"
# Staff (agents, supervisors, managers, administrators) must enrol TOTP before any back-office page
# (accounts/mfa_required.py). Always on in production (prod.py); off only in the `make run` demo (dev.py).
PORTAL_STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
# A staff session ends after this long without a request (sliding); residents keep SESSION_COOKIE_AGE.
PORTAL_STAFF_SESSION_IDLE_SECONDS = 30 * 60

# How many reverse proxies of ours stand in front of gunicorn (production: 1). The client's address is
# then the n-th entry from the right of X-Forwarded-For (portal_kit/client_ip.py); 0 ignores the header,
# which a client can write. allauth's login limits read the same count, so both see one address.
PORTAL_TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = PORTAL_TRUSTED_PROXIES
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None  # X-Forwarded-For with the count above, as portal_kit does

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-non-public/"  # never served directly: files go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The request-body cap (gunicorn has none: see gunicorn.conf.py). Django counts here everything of a body
# but the files of a multipart form: a form's text fields, or a whole urlencoded or JSON body; past it,
# RequestDataTooBig answers 400. Files are streamed to a temporary file (over FILE_UPLOAD_MAX_MEMORY_SIZE)
# and refused past PORTAL_MAX_UPLOAD_BYTES each, PORTAL_MAX_FILES per form and
# PORTAL_MAX_FILES_PER_REQUEST per request (requests_app/uploads.py, services/filing.py), but only once
# received. The body as a whole is capped by its declared length before it is read
# (PORTAL_MAX_REQUEST_BODY_BYTES, portal_kit/body_cap.py); the reverse proxy in front should cap it too
# (nginx: client_max_body_size 60m), for chunked bodies that declare no length.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Mail: EMAIL_URL like smtp://user:pass@host:587 or smtp+tls://…; console in dev.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ville de Béthune <ne-pas-repondre@bethune.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Public address of the portal, used in emails, PDFs and QR codes (no request object there).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: with no REDIS_URL there is no broker, so tasks run in-process (eagerly); the services
# always enqueue them from transaction.on_commit, so "eagerly" still means "after commit".
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# One cache shared by every web process when Redis is there (rate limits, the guichet's menus); otherwise
# each process keeps its own in memory, which is right for the embedded default.
# Redis down is not an outage: the fail-safe backend answers from memory meanwhile (portal_kit/cache.py).
CACHES = {
    "default": {
        "BACKEND": "portal_kit.cache.FailSafeRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "bethune",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# A task is acknowledged once done, so a worker that dies mid-task leaves it to another one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that publishes a task must not wait long for a broker that is down (requests_app/enqueue.py skips
# and the outbox sweep catches up): a short connection timeout and few publish retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Bounded retries for every task unless it says otherwise.
CELERY_TASK_ANNOTATIONS = {"*": {"max_retries": 5}}
# Beat's entries come from the apps' registrations (requests_app.registry), merged by this scheduler.
CELERY_BEAT_SCHEDULER = "requests_app.beat:RegistryScheduler"
CELERY_BEAT_SCHEDULE: dict = {}

# Content Security Policy from the first page: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Portal limits (see requests_app.validators for where each is enforced).
PORTAL_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PORTAL_MAX_FILES = 5  # per form (filing, one reply)
# Files the requester's side may attach to one request over its life (filing and replies; the town's
# messages are not counted): requests_app.services.filing.attachments_store.
PORTAL_MAX_FILES_PER_REQUEST = 20
# The whole body of one request (portal_kit/body_cap.py): five files of 10 Mo and the form around them.
PORTAL_MAX_REQUEST_BODY_BYTES = PORTAL_MAX_FILES * PORTAL_MAX_UPLOAD_BYTES + 2 * 1024 * 1024
PORTAL_MAX_DESCRIPTION = 5000
PORTAL_DRAFT_DAYS = 30
# Retention of personal data (requests_app/services/retention.py, nightly task retention-apply; the privacy
# page shows these numbers): a closed request's personal data is anonymised this long after its closure.
# Drafts keep PORTAL_DRAFT_DAYS (above), purged by the same nightly task.
# How long personal data is kept (requests_app/services/retention.py, the apps' PersonalData hooks; shown on
# the privacy page): a closed request's, the name given at the counter's reception, the sign-in log.
PORTAL_RETENTION = {"closed_request_years": 3, "visit_name_days": 365, "sign_in_log_days": 365}
PORTAL_REOPEN_DAYS = 15

# Password of every demo account made by seed_demo (make run).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-bethune")

# The queue's partial index includes non-key columns for PostgreSQL's index-only count; SQLite ignores them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
