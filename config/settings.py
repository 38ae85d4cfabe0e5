"""Settings for bosetting.

Every value comes from the environment (see README, "Miljøvariabler"). Defaults are the
embedded set-up: SQLite, eager Celery, e-mail to the console. Security defaults assume
production: DEBUG is off unless asked for, and then a SECRET_KEY is required.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY må settes når DEBUG er av.")
    SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "kommuner",
    "vedtak",
    "bosetting",
    "imports",
    "oppfolging",
    "okonomi",
    "rapporter",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.NulBytesMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.security.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The written standard chosen at login, and for a signed-in browser without the cookie (core/sprak.py).
    "core.sprak.SprakMiddleware",
    "core.history.RequestIdMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.security.AdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.access",
                "bosetting.context_processors.syntetiske",
            ],
        },
    },
]

# The embedded default is an SQLite file in the project folder; production and the
# test suite point DATABASE_URL at PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django's widget templates, with the select built in Python (core.renderers).
FORM_RENDERER = "core.renderers.FormRenderer"

# Cached national figures (bosetting.tallcache) are invalidated through a version in the database,
# so a per-process memory cache stays correct; production shares one in Redis, e.g.
# CACHE_URL=redis://127.0.0.1:6379/1, so each worker does not compute the same rows again.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://bosetting")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks every login (site and admin) first: after AXES_FAILURE_LIMIT failures for the
# same username from the same IP address, that combination is locked out for AXES_COOLOFF_HOURS,
# even with the right password. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# The client address (core.security.client_ip): REMOTE_ADDR, or with BEHIND_PROXY the address
# PROXY_COUNT entries from the right of X-Forwarded-For (each trusted proxy appends the peer it
# saw, so entries further left are whatever the client sent). Without BEHIND_PROXY the header is
# ignored. Locked out per username and address (above), and an address that has failed with
# LOGIN_SPRAY_LIMIT different usernames within the cool-off is refused for every username
# (password spraying; core.security.LoginSprayHandler).
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = max(1, env.int("PROXY_COUNT", default=1))
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_HANDLER = "core.security.LoginSprayHandler"
LOGIN_SPRAY_LIMIT = env.int("LOGIN_SPRAY_LIMIT", default=10)

# Second factor (TOTP app) for administrators: when required, an administrator must register an
# authenticator app and enter its code after signing in before any other page opens.
ADMIN_TOTP_REQUIRED = env.bool("ADMIN_TOTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Bosetting")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
# Both written standards; LocaleMiddleware picks the user's choice from the django_language cookie
# and falls back to Bokmål. The switch also stores it on the profile, and login writes the profile's
# choice to the cookie, so it follows the user to any browser (core/sprak.py).
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk")]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Dates come from Django's nb/nn formats (24.11.2014). USE_THOUSAND_SEPARATOR stays off on purpose:
# it would print years as «2 024»; counts go through the `tall` filter (1 133 834, non-breaking space).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from npm (package.json) and are served straight from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/designsystemet", BASE_DIR / "node_modules/@digdir/designsystemet-css/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/designsystemet-web", BASE_DIR / "node_modules/@digdir/designsystemet-web/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names for caching in production; plain names where files are served
        # by the finders (development, live test server).
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        ),
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

# Celery: no broker means tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="bosetting")
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Redis redelivers an unacknowledged task after `visibility_timeout` seconds; tasks here are short
# and never scheduled far ahead (retry countdowns stay well below it). JSON, e.g. {"visibility_timeout": 3600}.
CELERY_BROKER_TRANSPORT_OPTIONS = env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={"visibility_timeout": 3600})

# A background import with no progress for this many minutes (a killed worker, say) is shown as
# stopped, with a retry button.
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=15)

# Reminders (oppfolging): digest window in days, local hour from which the daily digest goes out,
# weekday (0 = Monday) for the office summary, and the address used in e-mail links.
OPPFOLGING_DIGEST_DAGER = env.int("OPPFOLGING_DIGEST_DAGER", default=7)
OPPFOLGING_DIGEST_TIME = env.int("OPPFOLGING_DIGEST_TIME", default=7)
OPPFOLGING_UKESAMMENDRAG_DAG = env.int("OPPFOLGING_UKESAMMENDRAG_DAG", default=0)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# E-mail: console by default; production sets EMAIL_URL, e.g. smtp+tls://user:pw@host:587
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="bosetting <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Secure by default unless DEBUG; each can be overridden (tests run on plain HTTP).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Signed out after SESSION_COOKIE_AGE seconds without a request (inactivity): the age restarts
# when the session is saved, at most every SESSION_REFRESH_SECONDS (core.security).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=3600)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (core.security): no inline script or style, no eval, nothing from other
# origins. Designsystemet's CSS only needs data: images (its icons); htmx runs without eval
# (htmx-config meta tag in base.html).
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)

DJANGO_TABLES2_TEMPLATE = "tables/ds_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "ds-table", "data-size": "sm"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Refused accesses (tampered ids, out-of-scope writes): user id, action, object id only.
        "bosetting.access": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
