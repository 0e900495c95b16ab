"""Production settings: everything from the environment, secure by default.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_DEBUG", "false")

from .base import *  # noqa: E402,F403
from .base import env_bool  # noqa: E402

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_DEBUG must be false with production settings.")
if "DJANGO_SECRET_KEY" not in os.environ:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY for production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers and systemd probe the app directly over plain HTTP; the probes answer there too.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HttpOnly cookies, frame denial, Referrer-Policy, nosniff and the Content-Security-Policy are set in
# base.py for every environment.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Rate-limit counts shared by every web node. While Redis is unreachable each process counts on its
# own instead (intake.auth.cache): the API and pages keep serving.
CACHES = {
    "default": {
        "BACKEND": "intake.auth.cache.RedisWithLocalFallbackCache",
        "LOCATION": os.environ.get("REDIS_CACHE_URL", "redis://127.0.0.1:6379/1"),
        "OPTIONS": {
            "socket_connect_timeout": float(os.environ.get("REDIS_CACHE_TIMEOUT", "0.5")),
            "socket_timeout": float(os.environ.get("REDIS_CACHE_TIMEOUT", "0.5")),
            "RETRY_SECONDS": float(os.environ.get("REDIS_CACHE_RETRY_SECONDS", "5")),
        },
    }
}
