"""Pingan settings, read from the environment (see README "Configuration").

Embedded default: SQLite under var/, jobs in-process, DEBUG off unless PINGAN_DEBUG=1.
Production: PINGAN_ENV=production requires PINGAN_SECRET_KEY, PINGAN_ALLOWED_HOSTS and
DATABASE_URL, and turns on the secure-cookie/HSTS/SSL settings that ``check --deploy`` asks for.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp import constants as _csp_constants
from django.core.exceptions import ImproperlyConfigured

from pingan.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("PINGAN_VAR_DIR", str(REPO_DIR / "var")))

PINGAN_ENV = env_choice("PINGAN_ENV", "embedded", {"embedded", "production"})
PRODUCTION = PINGAN_ENV == "production"

DEBUG = env_bool("PINGAN_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("PINGAN_DEBUG must be off when PINGAN_ENV=production")

if PRODUCTION:
    SECRET_KEY = env_str("PINGAN_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("PINGAN_SECRET_KEY must be at least 50 characters in production")
    ALLOWED_HOSTS = env_list("PINGAN_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("PINGAN_ALLOWED_HOSTS must list the host names in production")
else:
    # The embedded demo runs on one machine; a fixed development key is acceptable there only.
    SECRET_KEY = env_str("PINGAN_SECRET_KEY", "embedded-only-insecure-key-0f3c9a7e51b24d6e8a7c9d0b1e2f3a4b5c6d")
    ALLOWED_HOSTS = env_list("PINGAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "pingan.core",
    "pingan.areas",
    "pingan.org",
    "pingan.accounts",
    "pingan.reports",
    "pingan.incidents",
    "pingan.disputes",
    "pingan.legal",
    "pingan.procuratorate",
    "pingan.cases",
    "pingan.antifraud",
    "pingan.ecology",
    "pingan.onestop",
    "pingan.jobs",
    "pingan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "pingan.core.middleware.NoStoreMiddleware",  # Cache-Control: no-store on signed-in responses
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pingan.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session time limits, the second factor, password expiry (pingan/accounts/middleware.py).
    "pingan.accounts.middleware.LoginPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "pingan.urls"
WSGI_APPLICATION = "pingan.wsgi.application"
ASGI_APPLICATION = "pingan.asgi.application"

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
                "pingan.accounts.context_processors.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'pingan.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_sqlite)
if not DATABASE_URL.startswith(("sqlite://", "postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must start with sqlite:// or postgres://")
if PRODUCTION and DATABASE_URL.startswith("sqlite"):
    raise ImproperlyConfigured("production runs on PostgreSQL: set DATABASE_URL=postgres://...")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("PINGAN_DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The incidents' covering index (banner, received_at) INCLUDE (…) is for PostgreSQL; SQLite builds
    # it without the included columns, which is all the embedded demo needs.
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "models.W040"]
    # WAL lets the demo server read while an import writes; busy timeout instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
# A read replica (hot standby) for the year reports' reads: pingan/core/db_routers.py.
PINGAN_REPLICA_DATABASE_URL = env_str("PINGAN_REPLICA_DATABASE_URL", "")
if PINGAN_REPLICA_DATABASE_URL:
    if not PINGAN_REPLICA_DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("PINGAN_REPLICA_DATABASE_URL must start with postgres://")
    DATABASES["replica"] = dj_database_url.parse(PINGAN_REPLICA_DATABASE_URL,
                                                 conn_max_age=env_int("PINGAN_DB_CONN_MAX_AGE", 0))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["pingan.core.db_routers.ReportReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login security (pingan/accounts; README "Login security"): password policy, lockout, second
# factor and session limits, each adjustable from the environment.
PINGAN_PASSWORD_MIN_LENGTH = env_int("PINGAN_PASSWORD_MIN_LENGTH", 8, minimum=8)
PINGAN_PASSWORD_MIN_CLASSES = env_int("PINGAN_PASSWORD_MIN_CLASSES", 3, minimum=1)  # of upper, lower, digit, symbol
if PINGAN_PASSWORD_MIN_CLASSES > 4:
    raise ImproperlyConfigured("PINGAN_PASSWORD_MIN_CLASSES must be between 1 and 4")
# Days before a password must be changed; 0 = passwords do not expire (what ASVS 2.1.10 prefers).
PINGAN_PASSWORD_MAX_AGE_DAYS = env_int("PINGAN_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "pingan.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": PINGAN_PASSWORD_MIN_LENGTH}},
    {"NAME": "pingan.accounts.passwords.CharacterClassesValidator",
     "OPTIONS": {"min_classes": PINGAN_PASSWORD_MIN_CLASSES}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout (django-axes): PINGAN_LOGIN_FAILURE_LIMIT failures lock for PINGAN_LOGIN_LOCK_MINUTES. Locked
# by login name (whatever the address); "username_ip": only that name from that address; "username_or_ip":
# also an address that failed that often over any names. Locked, unknown and wrong all answer alike.
AUTHENTICATION_BACKENDS = ["pingan.accounts.lockout.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
PINGAN_LOGIN_FAILURE_LIMIT = env_int("PINGAN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
PINGAN_LOGIN_LOCK_MINUTES = env_int("PINGAN_LOGIN_LOCK_MINUTES", 30, minimum=1)
PINGAN_LOGIN_LOCK_BY = env_choice("PINGAN_LOGIN_LOCK_BY", "username", {"username", "username_ip", "username_or_ip"})
# Reverse proxies in front of Pingan that append to X-Forwarded-For (0: use the connection's address).
PINGAN_PROXY_COUNT = env_int("PINGAN_PROXY_COUNT", 0, minimum=0)
AXES_FAILURE_LIMIT = PINGAN_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = PINGAN_LOGIN_LOCK_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = {"username": ["username"], "username_ip": [["username", "ip_address"]],
                           "username_or_ip": ["username", "ip_address"]}[PINGAN_LOGIN_LOCK_BY]
# "5 failures" means 5 in a row: a sign-in clears that login name's failures (pingan/accounts/signals.py),
# not those of its address, so one's own sign-ins cannot clear the count against someone else's account.
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock lasts 30 minutes from the last counted failure
AXES_LOCKOUT_CALLABLE = "pingan.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "pingan.accounts.lockout.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log
AXES_VERBOSE = False  # no start-up banner on every command; failures and locks are still logged
AXES_ENABLE_ADMIN = False  # pingan/accounts/admin.py shows the locks to the security administrator
if PINGAN_LOGIN_LOCK_BY == "username":
    # axes.W006 wants the address in the lock key. Locking the login name alone is deliberate: a lock on
    # the name cannot be dodged by changing address or browser, while an address lock would shut out a
    # whole township office behind one NAT (or everyone, behind a proxy not declared in
    # PINGAN_PROXY_COUNT). PINGAN_LOGIN_LOCK_BY=username_or_ip adds an address lock where that fits.
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W006"]
# Second factor (django-otp TOTP): required for these roles, optional for the others.
PINGAN_OTP_REQUIRED_ROLES = env_list("PINGAN_OTP_REQUIRED_ROLES", ["sysadmin", "secadmin", "auditor"])
OTP_TOTP_ISSUER = env_str("PINGAN_OTP_ISSUER", "平安乡村")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions: a signed-in session ends after PINGAN_SESSION_IDLE_SECONDS without a request, and in any case
# PINGAN_SESSION_SECONDS after sign-in (SESSION_COOKIE_AGE below).
PINGAN_SESSION_IDLE_SECONDS = env_int("PINGAN_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
FORMAT_MODULE_PATH = ["pingan.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages (htmx, echarts, bootstrap) are installed from the npm registry at setup into
# var/assets and collected from there; nothing third-party is committed.
STATICFILES_DIRS = [BASE_DIR / "static", VAR_DIR / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads kept for background jobs and job results: on several app servers this must be one shared
# directory (NFS or similar) mounted at the same path on every app server and worker.
MEDIA_ROOT = Path(env_str("PINGAN_MEDIA_ROOT", str(VAR_DIR / "media")))

# Production stack (README "Production deployment"). With PINGAN_REDIS_URL set: the cache lives in
# Redis (every app server sees the same cache) and background jobs go to Celery workers through a
# Redis broker (PINGAN_BROKER_URL, by default the same server's database 1 — never the cache's
# database, which cache.clear() flushes). Without it (the embedded default): local-memory cache and
# jobs run in a thread of the web process, so `./dev demo` needs nothing else.
PINGAN_REDIS_URL = env_str("PINGAN_REDIS_URL", "")
if PINGAN_REDIS_URL and not PINGAN_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("PINGAN_REDIS_URL must start with redis://, rediss:// or unix://")
if PINGAN_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": PINGAN_REDIS_URL,
                          "KEY_PREFIX": "pingan", "TIMEOUT": 300}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pingan"}}
# Sessions in the database (read through the cache when it is shared): any app server serves any request.
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db" if PINGAN_REDIS_URL
                  else "django.contrib.sessions.backends.db")


def _broker_default(url: str) -> str:
    if not url or url.startswith("unix://"):
        return url
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/1"))


CELERY_BROKER_URL = env_str("PINGAN_BROKER_URL", _broker_default(PINGAN_REDIS_URL))
# celery: jobs go to the Celery workers; thread: a thread of the web process (embedded default);
# sync: run at once in the request (tests, one-off scripts).
PINGAN_JOBS_MODE = env_choice("PINGAN_JOBS_MODE", "celery" if CELERY_BROKER_URL else "thread",
                              {"celery", "thread", "sync"})
if PINGAN_JOBS_MODE == "celery" and not CELERY_BROKER_URL:
    raise ImproperlyConfigured("PINGAN_JOBS_MODE=celery needs PINGAN_REDIS_URL or PINGAN_BROKER_URL")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-job leaves the message to be redelivered …
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # … and the job row's atomic claim keeps it from running twice
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True  # job state and results live in the jobs_job table, not in Celery
CELERY_WORKER_CONCURRENCY = env_int("PINGAN_WORKER_CONCURRENCY", 2, minimum=1)  # processes per worker
# Above these sizes an import or an export runs as a background job with a progress bar.
PINGAN_JOB_IMPORT_ROWS = env_int("PINGAN_JOB_IMPORT_ROWS", 2000, minimum=0)
PINGAN_JOB_EXPORT_ROWS = env_int("PINGAN_JOB_EXPORT_ROWS", 5000, minimum=0)
PINGAN_JOB_STALE_SECONDS = env_int("PINGAN_JOB_STALE_SECONDS", 900, minimum=60)  # running, no heartbeat: failed
PINGAN_JOB_KEEP_DAYS = env_int("PINGAN_JOB_KEEP_DAYS", 30, minimum=1)  # result files of finished jobs
# Nightly `pingan backup` writes here (dated file names), keeping PINGAN_BACKUP_KEEP_DAYS days.
PINGAN_BACKUP_DIR = Path(env_str("PINGAN_BACKUP_DIR", str(VAR_DIR / "backups")))
PINGAN_BACKUP_KEEP_DAYS = env_int("PINGAN_BACKUP_KEEP_DAYS", 14, minimum=1)

SESSION_COOKIE_AGE = env_int("PINGAN_SESSION_SECONDS", 12 * 3600, minimum=300)  # absolute session lifetime
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files — no inline script, no
# inline event handler (pingan/static/pingan/pingan.js gives data-* attributes instead); a template that
# truly needs an inline <script> or <style> gives it nonce="{{ request.csp_nonce }}". No CDN.
# style-src-attr 'unsafe-inline': style="" attributes are allowed (not <style> elements): ECharts writes
# its tooltips as HTML with style attributes, and progress bars set their width so. An attribute cannot
# run script or read the page; url() in it is held to img-src. Templates still prefer pingan.css classes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", _csp_constants.NONCE],
        "style-src": ["'self'", _csp_constants.NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # Bootstrap's icons are data: SVGs
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Audit log (pingan/core/auditchain.py): rows younger than this are never purged; 180 days is the
# floor (等保2.0 三级 asks for at least six months), also enforced by the PostgreSQL trigger.
PINGAN_AUDIT_RETENTION_DAYS = env_int("PINGAN_AUDIT_RETENTION_DAYS", 180, minimum=180)

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("PINGAN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("PINGAN_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("PINGAN_CSRF_TRUSTED_ORIGINS", [f"https://{h}" for h in ALLOWED_HOSTS])

# Personal data at rest (pingan/core/crypto.py): Fernet keys newest first (rotation: put the new key in front,
# run `pingan rotate_keys`, then drop the old one) and the HMAC key of the look-up hash columns.
if PRODUCTION:
    PINGAN_FIELD_KEYS = env_list("PINGAN_FIELD_KEYS", [])
    if not PINGAN_FIELD_KEYS:
        raise ImproperlyConfigured("PINGAN_FIELD_KEYS must list the field encryption keys in production")
    PINGAN_HASH_KEY = env_str("PINGAN_HASH_KEY")
    if len(PINGAN_HASH_KEY) < 32:
        raise ImproperlyConfigured("PINGAN_HASH_KEY must be at least 32 characters in production")
else:
    # Embedded demo/tests only: fixed development keys, insecure like the development SECRET_KEY above.
    PINGAN_FIELD_KEYS = env_list("PINGAN_FIELD_KEYS", ["ZW1iZWRkZWQtb25seS1pbnNlY3VyZS1maWVsZC1rZXk="])
    PINGAN_HASH_KEY = env_str("PINGAN_HASH_KEY", "embedded-only-insecure-hash-key-7c1e9a3b5d")

# Uploads: 台账 files are small; anything larger is refused before parsing.
PINGAN_UPLOAD_MAX_BYTES = env_int("PINGAN_UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = PINGAN_UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = PINGAN_UPLOAD_MAX_BYTES + 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_PAGE_RANGE = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line carries the request id (X-Request-ID, also in the audit rows), so a 500 a user reports
    # by its 错误编号 is found in the log.
    "filters": {"request_id": {"()": "pingan.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [rid=%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_choice("PINGAN_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})},
}
