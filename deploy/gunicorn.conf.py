"""gunicorn settings for Bridge: `gunicorn --config deploy/gunicorn.conf.py config.wsgi` (bridge-web.service).

From the environment: WEB_BIND (default 127.0.0.1:8000, behind the TLS proxy), WEB_CONCURRENCY
(workers, gunicorn's own variable, default 3), LOG_FORMAT and LOG_LEVEL as for the app. Anything
else through gunicorn's own GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30
graceful_timeout = 30
# No access log: the app's request log (config/logging.py) has the same facts without query strings,
# which may carry free text (the similar search's q).
accesslog = None
# Switched on anyway (GUNICORN_CMD_ARGS="--access-logfile -"), it shows the path without its query
# string: %(U)s, never the request line %(r)s, the query %(q)s or the referer %(f)s.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# No run-time control socket (gunicornc): systemd reloads with HUP, and the socket would live in $HOME.
control_socket_disable = True

if os.environ.get("LOG_FORMAT", "text").strip().lower() == "json":
    # gunicorn's own lines (start, worker exits, timeouts) in the app's JSON format as well.
    logconfig_dict = {
        "root": {"level": loglevel.upper(), "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    }
