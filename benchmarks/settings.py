"""Settings for `make bench`: the product's base settings, served as in production.

Only what a benchmark must change is changed here: DEBUG off (it records every query), the
benchmark urlconf (the product's URLs plus two baselines), quiet logs, and rate limits high
enough that 8 clients are measured rather than refused. The throttle still runs on every
request, over a one-second window so its history stays short.
"""

import os
import warnings

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bridge_bench")
os.environ.setdefault("DJANGO_DEBUG", "false")

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import LOGGING, REST_FRAMEWORK  # noqa: E402

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/s", "user": "100000/s"},
}
_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    **LOGGING,
    "root": {"handlers": ["console"], "level": _LEVEL},
    "loggers": {"django": {"handlers": ["console"], "level": _LEVEL, "propagate": False}},
}
# Static files are not collected for a benchmark; WhiteNoise's warning about it is noise here.
warnings.filterwarnings("ignore", message="No directory at")
