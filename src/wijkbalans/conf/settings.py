"""Django settings. Every value an operator can change is read through :mod:`.env`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_SOURCE_ROOT = PACKAGE_DIR.parent.parent
_DEFAULT_VAR = (
    _SOURCE_ROOT / "var" if (_SOURCE_ROOT / "pyproject.toml").exists() else Path.cwd() / "var"
)

VAR_DIR = Path(
    env(
        "WIJKBALANS_VAR_DIR",
        default=str(_DEFAULT_VAR),
        help="Folder for the SQLite database, uploads and generated reports.",
        doc_default="`var/` in the project folder",
    )
)
DEBUG = env(
    "WIJKBALANS_DEBUG",
    default=False,
    cast=bool,
    help="Show Django's debug pages. Never in production.",
)
SECRET_KEY = env(
    "WIJKBALANS_SECRET_KEY",
    default="django-insecure-development-key-change-me",
    help="Django's secret key. Required in production: a long random string.",
)
ALLOWED_HOSTS = env(
    "WIJKBALANS_ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "testserver"],
    cast=list,
    help="Comma-separated host names the app answers to.",
)
CSRF_TRUSTED_ORIGINS = env(
    "WIJKBALANS_CSRF_TRUSTED_ORIGINS",
    default=[],
    cast=list,
    help="Comma-separated origins (scheme and host) trusted for form posts behind a proxy.",
)
DATABASE_URL = env(
    "WIJKBALANS_DATABASE_URL",
    default=f"sqlite:///{VAR_DIR / 'wijkbalans.sqlite3'}",
    help="Database URL: `sqlite:///path` (the default, a file under the var folder) "
    "or `postgresql://user:password@host:port/name`.",
    doc_default="SQLite file `wijkbalans.sqlite3` in the var folder",
)
EMAIL_BACKEND = env(
    "WIJKBALANS_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend",
    help="Django e-mail backend for the mails to residents: the console (development) or "
    "`django.core.mail.backends.smtp.EmailBackend`.",
)
EMAIL_HOST = env("WIJKBALANS_EMAIL_HOST", default="localhost",
                 help="SMTP server for the mails to residents.")
EMAIL_PORT = env("WIJKBALANS_EMAIL_PORT", default=25, cast=int, help="SMTP port.")
EMAIL_USE_TLS = env("WIJKBALANS_EMAIL_USE_TLS", default=False, cast=bool,
                    help="Use STARTTLS with the SMTP server.")
DEFAULT_FROM_EMAIL = env("WIJKBALANS_FROM_EMAIL", default="wijkbalans@localhost",
                         help="Sender of the mails to residents.")
CONCERNS_TEXT_RETENTION_MONTHS = env(
    "WIJKBALANS_CONCERNS_TEXT_RETENTION_MONTHS", default=12, cast=int,
    help="Months after which `wijkbalans concerns purge` erases the free text of an early "
    "concern (the counts stay).",
)
CONCERNS_MIN_CELL = env(
    "WIJKBALANS_CONCERNS_MIN_CELL", default=5, cast=int,
    help="k: the smallest count of early concerns published in a table cell, and the "
    "fewest concerns behind an alert.",
)
CONCERNS_PUBLISHED_PERIOD = env(
    "WIJKBALANS_CONCERNS_PUBLISHED_PERIOD", default="quarter",
    help="The one period kind (week, month, quarter or year) in which early-warning "
    "tables are shown and published.",
)
SECURE_PROXY = env(
    "WIJKBALANS_BEHIND_HTTPS_PROXY",
    default=False,
    cast=bool,
    help="Trust the proxy's X-Forwarded-Proto header and send cookies over HTTPS only.",
)
STATIC_ROOT = Path(
    env(
        "WIJKBALANS_STATIC_ROOT",
        default=str(VAR_DIR / "static"),
        help="Folder that `wijkbalans collectstatic` fills for the web server.",
        doc_default="`static/` in the var folder",
    )
)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
LOG_LEVEL = env(
    "WIJKBALANS_LOG_LEVEL",
    default="INFO",
    help="Log level of the application loggers (DEBUG, INFO, WARNING, ERROR).",
)
DEMO_MODE = env(
    "WIJKBALANS_DEMO",
    default=False,
    cast=bool,
    help="Show the demo log-ins on the log-in page. Only for the demo city.",
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "wijkbalans.core",
    "wijkbalans.accounts",
    "wijkbalans.areas",
    "wijkbalans.indicators",
    "wijkbalans.demo",
    "wijkbalans.monitor",
    "wijkbalans.stacking",
    "wijkbalans.evaluations",
    "wijkbalans.programmes",
    "wijkbalans.concerns",
    "wijkbalans.participation",
    "wijkbalans.reports",
    "wijkbalans.touchstone",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wijkbalans.conf.urls"
WSGI_APPLICATION = "wijkbalans.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wijkbalans.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while an import writes; a busy timeout instead of "locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        # 128 MB of page cache: national imports update indexes of millions of rows.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "PRAGMA cache_size=-131072;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Per-process memory cache for computed monitor sections (keyed by the data version, so a
# write is never hidden by it); a deployment with many workers may point this at Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "OPTIONS": {"MAX_ENTRIES": 2000}}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Leaflet's files come from the django-leaflet package, served by the app (no CDN). Only
# its static folder is used: as an installed app it would require GeoDjango and GDAL.
_LEAFLET = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
if _LEAFLET:
    STATICFILES_DIRS.append(Path(_LEAFLET.submodule_search_locations[0]) / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

if SECURE_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wijkbalans API",
    "DESCRIPTION": "Areas, indicators and observations of wijkbalans.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"wijkbalans": {"handlers": ["console"], "level": LOG_LEVEL}},
}
