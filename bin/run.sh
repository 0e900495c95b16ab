#!/usr/bin/env bash
# `make run`: migrate, load the demo once, start a worker (with beat) if a broker answers, serve on $PORT.
# Without a broker, scores are recomputed in-process after each change instead.
# The worker's output goes to $WORKER_LOG (default celery.log).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.base}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
WORKER_LOG=${WORKER_LOG:-celery.log}

$PY manage.py migrate --noinput -v0
$PY manage.py load_demo --if-empty
$PY manage.py recompute_stale
# Search terms and sentence vectors for whatever lacks them (quick when nothing does).
$PY manage.py similar_index
# Likely duplicates for the product managers' queue (quick when nothing changed).
$PY manage.py duplicates_refresh

worker_pid=""
cleanup() { if [ -n "$worker_pid" ]; then kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT INT TERM

# Any broker Celery can use (redis://, amqp://): the same probe as /readyz.
broker_answers() { $PY manage.py broker_ping --timeout 1 2>/dev/null; }

export CELERY_ENABLED=false
if broker_answers; then
  # One worker process: on SQLite (the default here) concurrent writers would only wait on each other.
  CELERY_ENABLED=true bin/worker.sh --beat --loglevel=INFO --concurrency=1 --queues=celery,similar \
    --schedule="${TMPDIR:-/tmp}/bridge-celerybeat-schedule-$PORT" >"$WORKER_LOG" 2>&1 &
  worker_pid=$!
  for _ in $(seq 1 60); do
    if grep -q " ready\." "$WORKER_LOG" 2>/dev/null; then
      export CELERY_ENABLED=true
      echo "Scores: recomputed by a Celery worker with beat, broker $CELERY_BROKER_URL (log: $WORKER_LOG)."
      break
    fi
    if ! kill -0 "$worker_pid" 2>/dev/null; then break; fi
    sleep 0.5
  done
  if [ "$CELERY_ENABLED" != true ]; then
    echo "Scores: recomputed in-process after each change (the worker did not start; see $WORKER_LOG)."
    cleanup; worker_pid=""
  fi
else
  echo "Scores: recomputed in-process after each change (no broker answers at $CELERY_BROKER_URL)."
fi

echo "Bridge: http://127.0.0.1:$PORT/"
echo "Demo users: clinician, informatics, pm, itlead, admin"
echo "Demo password: ${DEMO_PASSWORD:-bridge-demo}"
$PY manage.py runserver "127.0.0.1:$PORT"
