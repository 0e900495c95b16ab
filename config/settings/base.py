"""Settings for every environment, read from environment variables.

Defaults are safe for development on one machine (SQLite, DEBUG on, local Redis).
Production switches behaviour on with variables; see config/settings/production.py.
"""

import os
from pathlib import Path

import dj_database_url

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "intake",
    "intake.similar",
    "scoring",
    "backlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Request bodies over this size are refused (Django answers 400) before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_REQUEST_BYTES", str(256 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token authentication, remembering valid tokens for API_TOKEN_CACHE_SECONDS (default 60).
        "intake.api.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (413), malformed → 400; written with orjson.
    "DEFAULT_PARSER_CLASSES": ["intake.api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["intake.api.renderers.OrjsonRenderer"],
    # One error shape everywhere (intake.api.errors); backlog's layer adds VersionConflict → 409.
    "EXCEPTION_HANDLER": "backlog.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
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
}

# Valid API tokens are remembered this long (0 = off); revocation takes up to this long to apply.
API_TOKEN_CACHE_SECONDS = int(os.environ.get("API_TOKEN_CACHE_SECONDS", "60"))

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

# Intake says "these problems are stale" through this hook; config wires it to scoring.
BRIDGE_STALE_NOTIFIER = "scoring.dispatch.problems_stale"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "config.logging_filters.QueryStringRedactor"}},
    "formatters": {"server": {"format": "[{server_time}] {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # The development server's request log, as Django's own, but without query strings.
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["no_query_strings"]},
    },
    "loggers": {
        # Django's own default config gives "django" a console handler too; one line per message is enough.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Similar-problem search (intake/similar): sentence vectors on or off, threads per encoder call, and how
# often each process reloads its in-memory index whole (in between, it reads only what changed).
SIMILAR_EMBEDDINGS = env_bool("SIMILAR_EMBEDDINGS", True)
SIMILAR_ENCODER_THREADS = int(os.environ.get("SIMILAR_ENCODER_THREADS", "1"))
SIMILAR_INDEX_RELOAD_SECONDS = float(os.environ.get("SIMILAR_INDEX_RELOAD_SECONDS", "900"))
SIMILAR_INDEX_REFRESH_SECONDS = float(os.environ.get("SIMILAR_INDEX_REFRESH_SECONDS", "1"))
SIMILAR_SWEEP_SECONDS = float(os.environ.get("SIMILAR_SWEEP_SECONDS", "60"))
# Sentence vectors go to their own queue: loading the model (about a second, 160 MB) and encoding must
# never hold up a score recompute (§9: evidence to new rank in 2 s). `make worker` consumes both queues.
CELERY_TASK_ROUTES = {"intake.similar.tasks.*": {"queue": "similar"}}

CELERY_BEAT_SCHEDULE = {
    "similar-vectors-sweep": {
        "task": "intake.similar.tasks.similar_vectors_sweep_task",
        "schedule": SIMILAR_SWEEP_SECONDS,
        "options": {"expires": SIMILAR_SWEEP_SECONDS},
    },
    "sweep-stale-scores": {
        "task": "scoring.tasks.sweep_stale_task",
        "schedule": SCORE_SWEEP_SECONDS,
        # A sweep that waited longer than one interval is superseded by the next one.
        "options": {"expires": SCORE_SWEEP_SECONDS},
    },
}
