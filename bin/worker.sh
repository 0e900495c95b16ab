#!/usr/bin/env bash
# A supervised Celery worker: `bin/worker.sh [celery worker options]`.
#
# Celery/kombu can exit on a broker connection loss while a task is in flight ("Restoring N
# unacknowledged message(s)" then an unrecoverable error). Nothing is lost: scores are a
# function of PostgreSQL, the stale marks stay, and the beat sweep recomputes them. So we do
# what systemd's Restart=always would do: start the worker again after a short pause.
# SIGTERM/SIGINT to this script stop the worker (warm shutdown) and the loop.
set -u
cd "$(dirname "$0")/.."
CELERY=${CELERY:-.venv/bin/celery}
RESTART_DELAY=${WORKER_RESTART_DELAY:-2}
child=""
stopping=""
stop() {
  stopping=1
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT

while :; do
  "$CELERY" -A config worker "$@" &
  child=$!
  wait "$child"
  status=$?
  # `wait` returns early when a trapped signal arrives: wait for the worker's warm shutdown too.
  if [ -n "$stopping" ]; then wait "$child" 2>/dev/null; exit 0; fi
  echo "bin/worker.sh: worker exited with status $status; restarting in ${RESTART_DELAY}s" >&2
  sleep "$RESTART_DELAY"
done
