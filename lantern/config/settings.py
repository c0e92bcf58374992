"""Lantern's settings, read from environment variables.

Production behaviour is switched on by variables (``LANTERN_PRODUCTION=1``), never by code that exists
only in a production module, so that what is tested is what runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from lantern.core.client_address import trusted_proxies_parse as _trusted_proxies_parse

# Lets the type hints' generics (ModelAdmin[Agency], QuerySet[Person]) work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("LANTERN_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


PRODUCTION = _flag("LANTERN_PRODUCTION")
DEBUG = _flag("LANTERN_DEBUG")

SECRET_KEY = os.environ.get("LANTERN_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("LANTERN_SECRET_KEY must be set when LANTERN_PRODUCTION=1")
    SECRET_KEY = "lantern-development-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = [h for h in os.environ.get("LANTERN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("LANTERN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "lantern.core",
    "lantern.agencies",
    "lantern.people",
    "lantern.chronology",
    "lantern.assessments",
    "lantern.casework",
    "lantern.cases",
    "lantern.health",
    "lantern.screening",
    "lantern.sharing",
    "lantern.interop",
    "lantern.retention",
    "lantern.api",
    "lantern.web",
]

MIDDLEWARE = [
    "lantern.core.client_address.ClientAddressMiddleware",
    "lantern.core.request_memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lantern.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lantern.core.middleware.SessionLifetimeMiddleware",
    "lantern.core.middleware.SecondFactorMiddleware",
    "lantern.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lantern.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "lantern.config.urls"
WSGI_APPLICATION = "lantern.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "lantern.config.jinja2.environment",
            "context_processors": ["lantern.core.context_processors.service"],
        },
    },
    {
        # Django's admin is written for Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lantern.sqlite3'}"),
        conn_max_age=int(os.environ.get("LANTERN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.Professional"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "lantern.agencies.backends.LockoutBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# ASVS V6.2: at least 8 characters, no upper limit short of a request's size, no composition rules
# (no "a digit and a capital"), common passwords refused, nor one like the username or name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "my-children"
LOGOUT_REDIRECT_URL = "sign-in"

# Lockout: this many failed sign-ins for one username within the window locks it for the window.
LANTERN_LOCKOUT_FAILURES = int(os.environ.get("LANTERN_LOCKOUT_FAILURES", "5"))
LANTERN_LOCKOUT_MINUTES = int(os.environ.get("LANTERN_LOCKOUT_MINUTES", "15"))

# Idle sessions expire: activity pushes the expiry forward, so the age is the idle timeout. A signed-in
# session is saved (its expiry pushed on) once a minute at most, not on every request (ADR 20; the
# middleware lantern.core.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("LANTERN_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = False
LANTERN_SESSION_TOUCH_SECONDS = int(os.environ.get("LANTERN_SESSION_TOUCH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# However active, a session ends this long after sign-in (lantern.core.middleware.SessionLifetimeMiddleware).
LANTERN_SESSION_ABSOLUTE_HOURS = int(os.environ.get("LANTERN_SESSION_ABSOLUTE_HOURS", "12"))

# Second factor (TOTP, django-otp): always for these roles; for everyone with LANTERN_SECOND_FACTOR_FOR_ALL=1.
LANTERN_SECOND_FACTOR_ROLES = ["manager", "senior-manager", "administrator"]
LANTERN_SECOND_FACTOR_FOR_ALL = _flag("LANTERN_SECOND_FACTOR_FOR_ALL")
OTP_TOTP_ISSUER = "Lantern"

# Content Security Policy (lantern.core.middleware.ContentSecurityPolicyMiddleware): nothing inline but
# the one script of GOV.UK Frontend's page template, which carries the request's nonce. See ADR 16.
LANTERN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host-: the browser keeps the cookie only if it came over HTTPS, for this host, for every path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = _flag("LANTERN_SSL_REDIRECT", True)
    # A load balancer's health check may come to the app server over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    ("lantern", BASE_DIR / "var" / "frontend"),
    ("assets", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"),
    ("assets", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj" / "assets"),
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if Path(path).is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"lantern": {"handlers": ["console"], "level": os.environ.get("LANTERN_LOG_LEVEL", "INFO")}},
}

EMAIL_BACKEND = os.environ.get("LANTERN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("LANTERN_FROM_EMAIL", "lantern@localhost")

# Proxies whose X-Forwarded-For is believed for the client's address (lantern/core/client_address.py,
# docs/deploy.md): empty for none (the default), a number of proxies in a row, or addresses and networks.
LANTERN_TRUSTED_PROXIES = os.environ.get("LANTERN_TRUSTED_PROXIES", "")
_trusted_proxies_parse(LANTERN_TRUSTED_PROXIES)  # a mistake stops the start, with its name

# A case-bundle file this size or larger is checked in a second process while it is written (ADR 21).
LANTERN_IMPORT_CHECK_APART_BYTES = int(os.environ.get("LANTERN_IMPORT_CHECK_APART_BYTES", str(8 << 20)))

# Break-glass: how long emergency access to a record lasts (ADR 17).
LANTERN_EMERGENCY_ACCESS_HOURS = float(os.environ.get("LANTERN_EMERGENCY_ACCESS_HOURS", "4"))

# The service's name and the banner that says all data here is synthetic.
LANTERN_AREA_NAME = os.environ.get("LANTERN_AREA_NAME", "Demo area")
