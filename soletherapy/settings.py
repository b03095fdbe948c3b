"""Settings for the SOLE THERAPY site.

Every deploy-time value comes from the environment (django-environ). The defaults suit a
developer's laptop; with DEBUG off the site refuses to start without a real secret key and
allowed hosts.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from soletherapy.logging_config import logging_config
from soletherapy.mail_settings import mailers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_INSECURE_KEY = "django-insecure-laptop-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
# Old keys, newest first, after a rotation: links already emailed to patients keep working.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if not DEBUG:
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 40 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value: DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names): DEBUG is off.")

INSTALLED_APPS = [
    "soletherapy.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "reversion",
    "simple_history",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "health_check",
    "dbbackup",
    "soletherapy",
    "conditions",
    "bookings",
]

MIDDLEWARE = [
    "soletherapy.request_log.RequestLogMiddleware",
    # A cached public page is sent from here as it was stored, every header included.
    "soletherapy.middleware.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "soletherapy.middleware.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Who made each change in the audit history of bookings, patients and the schedule.
    "simple_history.middleware.HistoryRequestMiddleware",
    "soletherapy.middleware.StaffAreaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "soletherapy.middleware.CleanAddressMiddleware",  # late: its redirects get every header
    # Last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "soletherapy.urls"
WSGI_APPLICATION = "soletherapy.wsgi.application"

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
                "django.template.context_processors.csp",
                "soletherapy.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Connections are kept a minute (PostgreSQL takes ~5 ms to connect), checked before reuse.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers can never both read
    # "free" and then both write: the second waits (up to the timeout) and re-reads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory: the concurrency tests and the live browser server use several
    # connections that must all see one database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Parallel test runs (several developers or CI jobs on one PostgreSQL server) need their own
# test database name.
if test_db_name := env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": test_db_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://soletherapy")}
if (default_cache := CACHES["default"])["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    default_cache["BACKEND"] = "soletherapy.redis_cache.RedisCache"  # fewer round trips
    # A Redis that has hung must not hold up a page: give up quickly and go on without it.
    default_cache["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5} | default_cache.get("OPTIONS", {})
# Rendered pages for anonymous visitors; cleared whenever clinic content changes.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)

SESSION_ENGINE = "soletherapy.sessions"  # Django's database sessions; on SQLite in line to write
# A booking in progress (the patient's answers, in their session) is kept this long after the
# last step; then the session ends and `manage.py purge_expired_data` removes it.
DRAFT_SECONDS = env.int("DRAFT_SECONDS", default=2 * 60 * 60)
# How long records are kept before `purge_expired_data` removes them (run it daily).
BOOKING_RETENTION_YEARS = env.int("BOOKING_RETENTION_YEARS", default=7)  # clinical records
WAITLIST_RETENTION_DAYS = env.int("WAITLIST_RETENTION_DAYS", default=30)  # after an entry ends
TASK_RESULT_RETENTION_DAYS = env.int("TASK_RESULT_RETENTION_DAYS", default=14)

# Staff sign in with a password and a code (django-otp, see soletherapy/admin_site.py); repeated
# failures lock the account and the address for a while (django-axes).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: an account, or an address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "soletherapy.limits.client_address"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "SOLE THERAPY"
# The admin's address: a less obvious one keeps drive-by password guessing away.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
# A staff member's session ends after this long without a request (a working day).
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=10 * 60 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-au"
TIME_ZONE = "Australia/Sydney"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `manage.py dbbackup` writes here (django-dbbackup): see docs/deploy.md, "Backups".
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("BACKUP_DIR", default=VAR_DIR / "backups")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
DBBACKUP_CLEANUP_KEEP = env.int("BACKUP_KEEP", default=14)  # `dbbackup --clean` keeps this many
DBBACKUP_SEND_EMAIL = False  # a failed backup fails its systemd unit, which is what is watched

# EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.com:587) becomes Django 6.1's MAILERS.
MAILERS = mailers(env.email_url("EMAIL_URL", default="consolemail://"), timeout=env.int("EMAIL_TIMEOUT", default=10))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SOLE THERAPY <bookings@soletherapy.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = env.list("ADMINS", default=[])  # who is emailed each server error (without request data)

# Background work (emails, reminders) runs in the task worker (`manage.py worker`), never in a
# web request. The database backend stores each task in the same transaction as the change that
# causes it, so none is lost and none runs for a change that was rolled back.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Minutes to wait before each new attempt at an email the mail server refused; then it has failed.
EMAIL_RETRY_MINUTES = env.list("EMAIL_RETRY_MINUTES", cast=int, default=[1, 5, 30, 120, 720])

# Abuse limits on public writes (django-ratelimit, counted in the shared cache): rates a real
# patient never meets. Each rate is "count/period" with period s, m, h or d.
RATE_LIMITS = {
    "booking-details": {"address": env.str("RATE_LIMIT_DETAILS_PER_ADDRESS", default="30/h")},
    "booking-confirm": {
        "address": env.str("RATE_LIMIT_BOOKINGS_PER_ADDRESS", default="5/h"),
        "email": env.str("RATE_LIMIT_BOOKINGS_PER_EMAIL", default="3/d"),
    },
    "booking-change": {"address": env.str("RATE_LIMIT_CHANGES_PER_ADDRESS", default="10/h")},
    "questionnaire": {"address": env.str("RATE_LIMIT_QUESTIONNAIRE_PER_ADDRESS", default="60/h")},
    "waitlist-join": {
        "address": env.str("RATE_LIMIT_WAITLIST_PER_ADDRESS", default="5/h"),
        "email": env.str("RATE_LIMIT_WAITLIST_PER_EMAIL", default="3/d"),
    },
}
RATELIMIT_USE_CACHE = "default"
# A booking or waitlist form sent sooner than this after it was opened is refused as automated.
BOT_TRAP_MIN_SECONDS = env.float("BOT_TRAP_MIN_SECONDS", default=2)
RATELIMIT_IP_META_KEY = "soletherapy.limits.client_address"
# Behind a reverse proxy: the header it puts the client's address in (for example
# HTTP_X_FORWARDED_FOR), and how many proxies of ours add to it. Empty: the connection's address.
CLIENT_ADDRESS_HEADER = env.str("CLIENT_ADDRESS_HEADER", default="")
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

PHONENUMBER_DEFAULT_REGION = "AU"
PHONENUMBER_DB_FORMAT = "E164"

# Every asset comes from this site: nothing loads from another host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Features no page uses are switched off for every page (django-permissions-policy).
PERMISSIONS_POLICY = dict.fromkeys(["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"], [])
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# The placeholder clinic details the content loader makes must be replaced before going live:
# with DEBUG off, management commands refuse to run until they are (make serve allows them).
ALLOW_PLACEHOLDER_CLINIC = env.bool("ALLOW_PLACEHOLDER_CLINIC", default=False)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    # Browsers keep to HTTPS for a year, on every subdomain too; preloading (a list browsers ship
    # with) is a step to take on purpose, so it is a setting.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Not preloading is a choice (leaving the preload list takes months), not an oversight.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The public address of the site, used for canonical links, the sitemap and emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

PRIVACY_NOTICE_VERSION = "2026-11-25"

# The audit history is a record, not an undo button: every change goes through the services.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Plain lines on a laptop; in production one JSON object a line, with a line for each request.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured('Set LOG_FORMAT to "plain" or "json".')
LOGGING = logging_config(
    json_lines=LOG_FORMAT == "json",
    level=env.str("LOG_LEVEL", default="INFO"),
    requests=env.bool("LOG_REQUESTS", default=not DEBUG),
    debug=DEBUG,
)
