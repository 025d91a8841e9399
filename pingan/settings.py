"""Pingan settings, read from the environment (see README "Configuration").

Embedded default: SQLite under var/, jobs in-process, DEBUG off unless PINGAN_DEBUG=1.
Production: PINGAN_ENV=production requires PINGAN_SECRET_KEY, PINGAN_ALLOWED_HOSTS and
DATABASE_URL, and turns on the secure-cookie/HSTS/SSL settings that ``check --deploy`` asks for.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pingan.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    # WAL lets the demo server read while an import writes; busy timeout instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_AGE = env_int("PINGAN_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("PINGAN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("PINGAN_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("PINGAN_CSRF_TRUSTED_ORIGINS", [f"https://{h}" for h in ALLOWED_HOSTS])

# Uploads: 台账 files are small; anything larger is refused before parsing.
PINGAN_UPLOAD_MAX_BYTES = env_int("PINGAN_UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = PINGAN_UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = PINGAN_UPLOAD_MAX_BYTES + 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_PAGE_RANGE = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("PINGAN_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})},
}
