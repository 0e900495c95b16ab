"""Settings for every environment, read from environment variables.

Defaults are safe for development on one machine (SQLite, DEBUG on, local Redis).
Production switches behaviour on with variables; see config/settings/production.py.
"""

import logging
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "intake",
    "intake.similar",
    "scoring",
    "backlog",
    "notify",
]

MIDDLEWARE = [
    # First: a request id for every log line, and one line per request with what the client got.
    "config.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "intake.auth.sessions.IdleSessionMiddleware",
    # Last, as django-axes asks: turns a flagged (locked-out) sign-in into the lockout answer.
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
                "intake.context_processors.roles",
                "notify.context_processors.notifications",
            ],
        },
    },
]

# Persistent connections are one per process under gunicorn's sync workers and Celery's prefork
# pool, so there they are bounded by the process count. runserver (DEBUG, `make run`) serves each
# request on a new thread, and every thread would keep its own connection open: there a
# connection lives for one request only.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # JIT compilation costs ~350 ms on filtered backlog pages whose queries run in a few ms.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Named in pg_stat_activity, so an operator can count and tell apart Bridge's connections.
    DATABASES["default"]["OPTIONS"]["application_name"] = os.environ.get("DB_APPLICATION_NAME", "bridge")
    # A database host that does not answer fails a connection in seconds instead of hanging it.
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run` shares the SQLite file between the web server and a worker: wait, don't fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "intake.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in (intake.auth): lockouts first, then local accounts; single sign-on is added below when set.
AUTHENTICATION_BACKENDS = [
    "intake.auth.backends.LockoutBackend",
    "intake.auth.backends.AccountBackend",
]

# django-axes: after AXES_FAILURE_LIMIT failed sign-ins for one username, or from one client address,
# every sign-in for it (the right password included) is refused for AXES_COOLOFF_MINUTES, counted
# again from each further failure. The same rule covers the login page, the admin, the token endpoint
# and single sign-on. Counts live in PostgreSQL, shared by every web node and untouched by Redis.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "intake.auth.client.client_address"
AXES_LOCKOUT_CALLABLE = "intake.auth.lockout.lockout_response"
# The login audit: successes and logouts (access log), and every failure with its lockout flag.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Off on purpose: a success would also erase the failures counted from the same address against
# other usernames, so an attacker could reset the count by signing in to an account of their own.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False  # no start-up banner on every manage.py command

# Sessions end after SESSION_IDLE_MINUTES without activity (intake.auth.sessions), and with the browser.
SESSION_IDLE_MINUTES = float(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = max(1, round(SESSION_IDLE_MINUTES * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Pages send the CSRF token in a header from the template (base.html), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True

# How many proxies of our own append to X-Forwarded-For in front of the app (0: the header is ignored).
# Throttles and lockouts key on the client address this gives (intake.auth.client).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# API tokens expire this many days after they are created.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))

# Content-Security-Policy in every environment, so that development and the browser tests run under
# the policy production has: scripts only from our own static files, no inline script, no eval, no
# framing. Inline style attributes stay allowed (score bars set their width), <style> elements do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Single sign-on through OpenID Connect (intake.auth.oidc): on when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "single sign-on")
if OIDC_ENABLED:
    _OIDC_REQUIRED = [
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    ]
    _missing = [name for name in _OIDC_REQUIRED if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_RP_CLIENT_ID is set, so single sign-on also needs {', '.join(_missing)}.")
    OIDC_RP_CLIENT_SECRET = os.environ["OIDC_RP_CLIENT_SECRET"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ["OIDC_OP_JWKS_ENDPOINT"]
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "preferred_username")
    OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
    OIDC_CREATE_USER = False  # accounts and roles are Bridge's: an administrator sets them up
    OIDC_CALLBACK_CLASS = "intake.auth.oidc.OIDCCallbackView"
    OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
    LOGIN_REDIRECT_URL_FAILURE = "/login/"  # a path: mozilla-django-oidc does not resolve URL names
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("intake.auth.oidc.OIDCBackend")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes (production serves it with WhiteNoise).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Request bodies over this size are refused (Django answers 400) before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_REQUEST_BYTES", str(256 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Expiring, hashed tokens checked against the database on every request (intake.auth).
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (413), malformed → 400; written with orjson.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.OrjsonRenderer"],
    # One error shape everywhere, a stale `version` included (409).
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Per client address (TRUSTED_PROXY_COUNT decides whether X-Forwarded-For counts) or per user.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.ClientAnonRateThrottle",
        "api.throttling.ClientUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Bridge API",
    "DESCRIPTION": "Clinical problem intake and ranked product backlog (REST API v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: hospital networks may block CDNs.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two fields are called `state`: name both enums, so the job's keeps the name it has always had.
    "ENUM_NAME_OVERRIDES": {
        "StateEnum": "scoring.models.JobState",
        "TokenStateEnum": "intake.auth.tokens.Standing",
        "EventEnum": "intake.models.EventType",
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}

# Celery: JSON only, ids only in messages, late acks so a killed worker's task is redelivered.
# None of it is load-bearing for correctness: stale marks live in the database and the sweep
# recomputes whatever a lost, late or duplicated message left behind.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "300"))
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Above the longest task's hard limit, so an unacked task is never redelivered while it runs.
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
# When false (no broker reachable), recomputes run in-process right after commit.
CELERY_ENABLED = env_bool("CELERY_ENABLED", True)

# Scoring pipeline (scoring/tasks.py). The sweep recomputes whatever is still stale.
SCORE_SWEEP_SECONDS = float(os.environ.get("SCORE_SWEEP_SECONDS", "15"))
# Recompute runs start at least this far apart, so a burst of evidence coalesces into few runs;
# an isolated change is never held back longer than this.
SCORE_COALESCE_SECONDS = float(os.environ.get("SCORE_COALESCE_SECONDS", "0.5"))
# Redis holding the "a recompute is pending" mark; the broker's when it is Redis. Empty: no mark
# (every change queues a run, and runs still coalesce through the stale set).
SCORE_COALESCE_URL = os.environ.get(
    "SCORE_COALESCE_URL", CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
# After a failed publish, requests skip the broker this long (the sweep catches up).
SCORE_BROKER_BACKOFF_SECONDS = float(os.environ.get("SCORE_BROKER_BACKOFF_SECONDS", "5"))
# Problems per batch of a recompute or re-rank (one read per table, one write per batch).
SCORE_BATCH_SIZE = int(os.environ.get("SCORE_BATCH_SIZE", "2000"))
# Outcomes: realized hours and estimate accuracy are held back as "too early" below this many answers.
OUTCOME_MIN_RESPONSES = int(os.environ.get("OUTCOME_MIN_RESPONSES", "3"))
# The roadmap's default IT capacity for a quarter, in weeks of work (the page lets you change it).
ROADMAP_QUARTER_WEEKS = float(os.environ.get("ROADMAP_QUARTER_WEEKS", "13"))

# Intake says "these problems are stale" through this hook; config wires it to scoring.
BRIDGE_STALE_NOTIFIER = "scoring.dispatch.problems_stale"
# Intake's "this happens at my site too" says what the report changed in the score through this.
BRIDGE_REPORT_EXPLAINER = "scoring.explain.ReportChange"
# Intake's outbox (intake/outbox.py) says "these events were recorded" through this hook; the
# fan-out (notify) answers. The sweep fans out whatever is still unprocessed (a lost message, a
# broker outage), at most NOTIFY_SWEEP_BATCH events per query.
BRIDGE_OUTBOX_NOTIFIER = "notify.dispatch.events_recorded"
NOTIFY_SWEEP_SECONDS = float(os.environ.get("NOTIFY_SWEEP_SECONDS", "30"))
NOTIFY_SWEEP_BATCH = int(os.environ.get("NOTIFY_SWEEP_BATCH", "200"))
NOTIFY_DIGEST_SECONDS = float(os.environ.get("NOTIFY_DIGEST_SECONDS", "3600"))
# E-mail (notify/email.py): the console in development, SMTP when EMAIL_HOST is set (or by EMAIL_BACKEND).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or not DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bridge <bridge@localhost>")
# Webhooks (notify/webhooks.py) are registered and called only for these hosts (comma list; an
# entry ".example.org" allows its subdomains): the guard against requests to internal services.
WEBHOOK_ALLOWED_HOSTS = [h.strip() for h in os.environ.get("WEBHOOK_ALLOWED_HOSTS", "").split(",") if h.strip()]
# Links in e-mails and webhook payloads point here.
BRIDGE_BASE_URL = os.environ.get("BRIDGE_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")

# Logs go to stderr (systemd's journal in production). LOG_FORMAT=json writes one JSON object a
# line with no free text (config/logging.py); text is for a developer's terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "config.logging.RequestContextFilter"},
        "no_query_strings": {"()": "config.logging.QueryStringRedactor"},
    },
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "text": {"format": "%(message)s"},
        "server": {"format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_context"]},
        # The development server's request log, as Django's own, but without query strings.
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["no_query_strings"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default config gives "django" a console handler too; one line per message is enough.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
# In JSON, the worker's records go through the same handler instead of Celery's own text format,
# and Python's warnings become records too (a logger "py.warnings") instead of raw stderr text.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
if LOG_FORMAT == "json":
    logging.captureWarnings(True)

# /readyz gives its answer within this many seconds, whatever its checks are waiting for.
READYZ_TIMEOUT_SECONDS = float(os.environ.get("READYZ_TIMEOUT_SECONDS", "2"))

# Similar-problem search (intake/similar): sentence vectors on or off, threads per encoder call, and how
# often each process reloads its in-memory index whole (in between, it reads only what changed).
SIMILAR_EMBEDDINGS = env_bool("SIMILAR_EMBEDDINGS", True)
SIMILAR_ENCODER_THREADS = int(os.environ.get("SIMILAR_ENCODER_THREADS", "1"))
SIMILAR_INDEX_RELOAD_SECONDS = float(os.environ.get("SIMILAR_INDEX_RELOAD_SECONDS", "900"))
SIMILAR_INDEX_REFRESH_SECONDS = float(os.environ.get("SIMILAR_INDEX_REFRESH_SECONDS", "1"))
SIMILAR_SWEEP_SECONDS = float(os.environ.get("SIMILAR_SWEEP_SECONDS", "60"))
# Sentence vectors go to their own queue: loading the model (about a second, 160 MB) and encoding must
# never hold up a score recompute (§9: evidence to new rank in 2 s). `make worker` consumes both queues.
# The duplicates queue's pairs (backlog.duplicates) ask the same search and the same model: same queue.
CELERY_TASK_ROUTES = {
    "intake.similar.tasks.*": {"queue": "similar"},
    "backlog.tasks.duplicates_refresh_task": {"queue": "similar"},
}
DUPLICATES_REFRESH_SECONDS = float(os.environ.get("DUPLICATES_REFRESH_SECONDS", "60"))

CELERY_BEAT_SCHEDULE = {
    "similar-vectors-sweep": {
        "task": "intake.similar.tasks.similar_vectors_sweep_task",
        "schedule": SIMILAR_SWEEP_SECONDS,
        "options": {"expires": SIMILAR_SWEEP_SECONDS},
    },
    "duplicates-refresh": {
        "task": "backlog.tasks.duplicates_refresh_task",
        "schedule": DUPLICATES_REFRESH_SECONDS,
        "options": {"expires": DUPLICATES_REFRESH_SECONDS},
    },
    "sweep-outbox": {
        "task": "notify.tasks.outbox_sweep_task",
        "schedule": NOTIFY_SWEEP_SECONDS,
        "options": {"expires": NOTIFY_SWEEP_SECONDS},
    },
    "notification-digests": {
        "task": "notify.tasks.digests_send_task",
        "schedule": NOTIFY_DIGEST_SECONDS,
        "options": {"expires": NOTIFY_DIGEST_SECONDS},
    },
    "sweep-stale-scores": {
        "task": "scoring.tasks.sweep_stale_task",
        "schedule": SCORE_SWEEP_SECONDS,
        # A sweep that waited longer than one interval is superseded by the next one.
        "options": {"expires": SCORE_SWEEP_SECONDS},
    },
}
