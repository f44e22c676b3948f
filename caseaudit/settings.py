"""One settings file, driven by the environment.

Embedded default: SQLite under ``var/`` and DEBUG on, so ``make demo`` needs nothing else.
Production (``CASEAUDIT_ENV=production``): DEBUG off, a real secret key and allowed hosts are
required, and ``DATABASE_URL`` names PostgreSQL. Helpers fail loudly on malformed values
rather than guessing.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = env_str("CASEAUDIT_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("CASEAUDIT_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env_str("CASEAUDIT_DATA_DIR", str(BASE_DIR / "var")))

# Development only: a fixed key is fine because nothing real is ever stored there.
DEVELOPMENT_SECRET_KEY = "development-only-key-never-used-in-production-0123456789abcdef"  # noqa: S105 # nosec B105
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else DEVELOPMENT_SECRET_KEY)

DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- The log chains' key and anchors (core/log_key.py, core/anchors.py) ---
# The access log and change history are sealed with HMAC-SHA256 under a key the database never
# holds: CASEAUDIT_LOG_KEY is the key itself, or CASEAUDIT_LOG_KEY_FILE names a file holding
# it. Development makes a key file in the data folder the first time it is needed; production
# refuses to start without one (production_refusals), since a key made on the spot would leave
# with the machine.
LOG_CHAIN_KEY = env_str("CASEAUDIT_LOG_KEY")
LOG_CHAIN_KEY_FILE = Path(env_str("CASEAUDIT_LOG_KEY_FILE", str(DATA_DIR / "log-chain.key")))
# `caseaudit verify-log` and `caseaudit anchor-log` append the chains' signed heads here, and
# send them to syslog when CASEAUDIT_LOG_ANCHOR_SYSLOG names a server (host:port, UDP) or a
# socket (/dev/log). Keep either where the database's users cannot rewrite it.
LOG_ANCHOR_FILE = Path(env_str("CASEAUDIT_LOG_ANCHOR_FILE", str(DATA_DIR / "log-anchors.jsonl")))
LOG_ANCHOR_SYSLOG = env_str("CASEAUDIT_LOG_ANCHOR_SYSLOG")
# `check --deploy` warns when the logs have not been verified for this long.
LOG_VERIFY_MAX_AGE_HOURS = env_int("CASEAUDIT_LOG_VERIFY_MAX_AGE_HOURS", 24)

INSTALLED_APPS = [
    "caseaudit.core.apps.CaseauditAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "govuk_frontend_django",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tasks",
    "django_tasks_db",
    "caseaudit.core",
    "caseaudit.accounts",
    "caseaudit.organisation",
    "caseaudit.cases",
    "caseaudit.tools",
    "caseaudit.audits",
    "caseaudit.performance",
    "caseaudit.thematic",
    "caseaudit.inspection",
    "caseaudit.reports",
    "caseaudit.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their own headers and long caching.
    "caseaudit.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "caseaudit.accounts.middleware.RefusalLogMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "caseaudit.core.middleware.NoStoreForSignedInMiddleware",
    "caseaudit.core.middleware.AbsoluteSessionLifetimeMiddleware",
    # Every page needs a signed-in person unless its view says @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "caseaudit.core.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "caseaudit.urls"
WSGI_APPLICATION = "caseaudit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "caseaudit" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caseaudit.site.context_processors.layout",
            ],
            # Dates in GOV.UK style and status tags, in every template without a {% load %}.
            "builtins": ["caseaudit.core.templatetags.caseaudit"],
        },
    },
]

# SQLite unless DATABASE_URL says otherwise. Nothing in caseaudit may assume either.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'caseaudit.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default keeps its database in the data folder: make sure it exists, so any
    # command works on a fresh clone.
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the server read while a background import writes; a busy timeout instead of
    # "database is locked" errors when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # An import keeps the children its file mentions in temporary tables (cases/
    # child_register.py). PostgreSQL caches those per session in temp_buffers, 8 MB by default,
    # and a county's million-row return needs about 75 MB: with less, every batch's lookups
    # go back to the disk. The memory is taken only by a session that uses temporary tables,
    # and only as it needs it. DATABASE_TEMP_BUFFERS_MB=0 leaves the server's own setting.
    temp_buffers_mb = env_int("DATABASE_TEMP_BUFFERS_MB", 128)
    if temp_buffers_mb:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c temp_buffers={temp_buffers_mb}MB"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Signing in (accounts/sso.py, accounts/backends.py) ---
# Single sign-on through the council's identity provider: Microsoft Entra ID or any OpenID
# Connect provider. On when the issuer, client id and client secret are all set. The endpoints
# come from the issuer's discovery document (CASEAUDIT_OIDC_DISCOVERY_URL, by default the
# issuer's /.well-known/openid-configuration), fetched the first time someone signs in.
# For Entra, CASEAUDIT_OIDC_TENANTS lists the tenant ids whose people may sign in; the issuer
# may then be written with {tenantid} (https://login.microsoftonline.com/{tenantid}/v2.0)
# and each token's issuer must be its own tenant's.
OIDC_ISSUER = env_str("CASEAUDIT_OIDC_ISSUER")
OIDC_DISCOVERY_URL = env_str("CASEAUDIT_OIDC_DISCOVERY_URL")
OIDC_RP_CLIENT_ID = env_str("CASEAUDIT_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("CASEAUDIT_OIDC_CLIENT_SECRET")
OIDC_ALLOWED_TENANTS = env_list("CASEAUDIT_OIDC_TENANTS", [])
SSO_ENABLED = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET)
# How far the clocks of the provider and caseaudit may disagree when checking exp and iat.
OIDC_LEEWAY_SECONDS = env_int("CASEAUDIT_OIDC_LEEWAY_SECONDS", 60)
# mozilla-django-oidc's own settings: the ID token's claims are all caseaudit reads (no
# userinfo call), nobody is created by signing in, and every call to the provider times out.
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("CASEAUDIT_OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
# Local usernames and passwords: the embedded default's way in, off in production unless
# turned on (a council signs in through its identity provider).
LOCAL_PASSWORDS = env_bool("CASEAUDIT_LOCAL_PASSWORDS", not PRODUCTION)
AUTHENTICATION_BACKENDS = [
    "caseaudit.accounts.backends.LocalPasswordBackend",
    "caseaudit.accounts.backends.SingleSignOnBackend",
]


def production_refusals() -> list[str]:
    """What stops production starting: each would expose children's data or lose it.

    Django's deploy checks only warn about these, and a warning scrolls past; a server that
    will not start is noticed before anyone signs in.
    """
    refusals = []
    if DEBUG:
        refusals.append("DEBUG is on: error pages would show settings and data to anyone.")
    # The same bar as Django's own deploy check (security.W009).
    if SECRET_KEY is None:
        refusals.append("SECRET_KEY is not set.")
    elif (
        len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
        or SECRET_KEY == DEVELOPMENT_SECRET_KEY
        or SECRET_KEY.startswith("django-insecure")
    ):
        refusals.append(
            "SECRET_KEY is too weak: use at least 50 random characters, not the development "
            "key or one Django generated for a new project (for example "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not ALLOWED_HOSTS:
        refusals.append("ALLOWED_HOSTS is not set: list the host names caseaudit serves.")
    elif "*" in ALLOWED_HOSTS:
        refusals.append("ALLOWED_HOSTS contains '*': list the host names caseaudit serves.")
    if env_str("DATABASE_URL") is None:
        refusals.append("DATABASE_URL is not set: production keeps its data in PostgreSQL.")
    elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        refusals.append("DATABASE_URL does not name PostgreSQL (postgresql://…).")
    if LOG_CHAIN_KEY is None and not LOG_CHAIN_KEY_FILE.is_file():
        refusals.append(
            "CASEAUDIT_LOG_KEY is not set and CASEAUDIT_LOG_KEY_FILE names no file: the key "
            "that seals the access log must live outside the database."
        )
    sso_settings = (OIDC_ISSUER, OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET)
    if any(sso_settings) and not all(sso_settings):
        refusals.append(
            "Single sign-on is half configured: set CASEAUDIT_OIDC_ISSUER, "
            "CASEAUDIT_OIDC_CLIENT_ID and CASEAUDIT_OIDC_CLIENT_SECRET together."
        )
    elif SSO_ENABLED and not all(
        url.startswith("https://") for url in (OIDC_ISSUER, OIDC_DISCOVERY_URL or "https://")
    ):
        refusals.append(
            "CASEAUDIT_OIDC_ISSUER and CASEAUDIT_OIDC_DISCOVERY_URL must be https:// addresses: "
            "the provider's keys and tokens must not travel in the clear."
        )
    elif not SSO_ENABLED and not LOCAL_PASSWORDS:
        refusals.append(
            "Nobody could sign in: configure single sign-on (CASEAUDIT_OIDC_ISSUER, "
            "CASEAUDIT_OIDC_CLIENT_ID, CASEAUDIT_OIDC_CLIENT_SECRET) or turn local passwords "
            "on (CASEAUDIT_LOCAL_PASSWORDS=on)."
        )
    return refusals


if PRODUCTION and (refusals := production_refusals()):
    raise ImproperlyConfigured(
        "caseaudit refuses to start in production:\n- " + "\n- ".join(refusals)
    )

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Repeats and runs ('aaaaaaaaaaaa', 'abababababab', 'abcdefghijkl') that the common list
    # may miss.
    {"NAME": "caseaudit.accounts.passwords.PatternPasswordValidator"},
]

# Sign-in throttling (accounts/throttle.py): after LOGIN_FREE_FAILURES failures, each further
# attempt waits a delay that doubles from LOGIN_DELAY_SECONDS up to LOGIN_MAX_DELAY_SECONDS,
# counted from the last failure. Failures older than LOGIN_FAILURE_MEMORY_HOURS are forgotten.
# The account-wide and per-address limits are looser: they slow a spread-out attack without
# letting one address hold anyone else's account.
LOGIN_FREE_FAILURES = env_int("LOGIN_FREE_FAILURES", 3)
LOGIN_FREE_FAILURES_PER_ACCOUNT = env_int("LOGIN_FREE_FAILURES_PER_ACCOUNT", 20)
LOGIN_FREE_FAILURES_PER_ADDRESS = env_int("LOGIN_FREE_FAILURES_PER_ADDRESS", 20)
LOGIN_DELAY_SECONDS = env_int("LOGIN_DELAY_SECONDS", 1)
LOGIN_MAX_DELAY_SECONDS = env_int("LOGIN_MAX_DELAY_SECONDS", 300)
LOGIN_FAILURE_MEMORY_HOURS = env_int("LOGIN_FAILURE_MEMORY_HOURS", 24)
# The load balancers and reverse proxies in front of caseaudit (addresses or CIDR ranges,
# comma-separated). Only a request that arrives from one of them has its X-Forwarded-For read
# (accounts/access.py client_ip); with none listed the header is never believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Sessions time out after a period of inactivity (every request renews the session), and
# end this many hours after sign-in however busy they are (core/sessions.py).
SESSION_COOKIE_AGE = env_int("SESSION_TIMEOUT_MINUTES", 30) * 60
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 10)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates read "3 March 2019" everywhere ({{ day|date }} included): caseaudit/core/dates.py.
FORMAT_MODULE_PATH = ["caseaudit.core.formats"]

STATIC_URL = "/static/"
# The project-wide assets (GOV.UK Frontend, htmx, caseaudit.css) are not in any one app.
STATICFILES_DIRS = [BASE_DIR / "caseaudit" / "static"]
# collectstatic target in production; the embedded default serves from the app folders.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static"))) if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "caseaudit.core.storage.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# Without collectstatic (development, the demo): WhiteNoise finds static files where they are.
WHITENOISE_USE_FINDERS = not PRODUCTION

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Uploads are size-limited; larger imports go through the command line.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A request larger than IMPORT_UPLOAD_MAX_BYTES is refused before any file in it is kept.
FILE_UPLOAD_HANDLERS = [
    "caseaudit.core.uploads.RefuseLargeUploads",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Scripts and styles only from caseaudit's own static files: no inline script, so markup
# injected into a page cannot run (core/middleware.py sends it on every response). Images
# may be data: URIs because the reports' charts are embedded that way.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Nothing caseaudit does needs a camera, a microphone, the person's location or payments: a
# page (or anything injected into one) may not ask for them.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Background work (imports, report rendering) through Django's task API. The database backend
# needs no broker: `caseaudit db_worker` runs the queue (`caseaudit demo --serve` starts one).
TASKS = {
    "default": {
        "BACKEND": env_str("CASEAUDIT_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Uploaded imports wait here for the background worker.
UPLOAD_DIR = DATA_DIR / "uploads"
IMPORT_UPLOAD_MAX_BYTES = env_int("IMPORT_UPLOAD_MAX_MB", 150) * 1024 * 1024
# A running import proves its worker alive every few seconds (cases/heartbeat.py); one silent
# for longer than this is marked failed and its upload removed.
IMPORT_HEARTBEAT_TIMEOUT_SECONDS = env_int("IMPORT_HEARTBEAT_TIMEOUT_SECONDS", 60)

# Notifications (allocations, safeguarding alerts). The embedded default prints them to the
# console; production sets an SMTP relay through the environment.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "caseaudit <caseaudit@localhost>")

# An audit judged Inadequate is audited again after this many months.
REAUDIT_INTERVAL_MONTHS = env_int("REAUDIT_INTERVAL_MONTHS", 3)

# The name in the header; each council sets its own.
SERVICE_NAME = "caseaudit"
COUNCIL_NAME = env_str("COUNCIL_NAME", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # WeasyPrint reports each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
