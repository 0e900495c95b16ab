#!/usr/bin/env bash
# `make run`: migrate, load the demo once, start a worker if a broker answers, serve on $PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.base}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}

$PY manage.py migrate --noinput -v0
$PY manage.py load_demo --if-empty

worker_pid=""
cleanup() { [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if $PY -c "import os, redis; redis.Redis.from_url(os.environ['CELERY_BROKER_URL'], socket_connect_timeout=1).ping()" 2>/dev/null; then
  echo "Broker at $CELERY_BROKER_URL answers: starting a Celery worker with beat (log: celery.log)."
  export CELERY_ENABLED=true
  .venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=1 \
    --schedule="${TMPDIR:-/tmp}/bridge-celerybeat-schedule" >celery.log 2>&1 &
  worker_pid=$!
else
  echo "No broker at $CELERY_BROKER_URL: scores are recomputed in-process after each change."
  export CELERY_ENABLED=false
fi

echo "Bridge on http://127.0.0.1:$PORT  (demo users: clinician, informatics, pm, itlead, admin; password: \${DEMO_PASSWORD:-bridge-demo})"
$PY manage.py runserver "127.0.0.1:$PORT"
