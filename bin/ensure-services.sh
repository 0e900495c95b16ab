#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1, starting them if installed but stopped and
# installing them from Debian's packages if missing. With --browser, also make sure Chromium is there;
# with --bench, the load generator wrk (Debian's package) that `make bench` drives the API with; with
# --ops, what the operations tests use: RabbitMQ (web and worker hosts run against it as well as
# against Redis), iproute2 (network namespaces for those hosts), systemd-analyze (unit checks), nginx
# and openssl (the TLS proxy example runs in front of gunicorn).
set -euo pipefail
for option in "$@"; do
  case "$option" in
    --browser | --bench | --ops) ;;
    *) echo "ensure-services.sh: unknown option $option (use --browser, --bench or --ops)" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
wait_for() { # name, command
  for _ in $(seq 1 30); do if eval "$2" >/dev/null 2>&1; then return 0; fi; sleep 1; done
  echo "$1 did not come up" >&2; return 1
}

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q; }
if ! command -v pg_isready >/dev/null || ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "Installing PostgreSQL…"; apt_install postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  conf=/etc/postgresql/$version/main
  # Trust auth on loopback for local development and CI (this machine only).
  if ! grep -q "bridge-trust" "$conf/pg_hba.conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust # bridge-trust\nhost all all ::1/128 trust # bridge-trust' "$conf/pg_hba.conf"
  fi
  echo "Starting PostgreSQL $version…"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_up
fi

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG; }
if ! command -v redis-server >/dev/null; then echo "Installing Redis…"; apt_install redis-server; fi
if ! redis_up 2>/dev/null; then
  echo "Starting Redis…"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis redis_up
fi

rabbitmq_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
for option in "$@"; do
  case "$option" in
    --browser) command -v chromium >/dev/null || { echo "Installing Chromium…"; apt_install chromium chromium-driver; } ;;
    --bench) command -v wrk >/dev/null || { echo "Installing wrk (load generator)…"; apt_install wrk; } ;;
    --ops)
      command -v ip >/dev/null || { echo "Installing iproute2…"; apt_install iproute2; }
      command -v systemd-analyze >/dev/null || { echo "Installing systemd (for systemd-analyze)…"; apt_install systemd; }
      command -v nginx >/dev/null || { echo "Installing nginx…"; apt_install nginx; }
      command -v openssl >/dev/null || { echo "Installing openssl…"; apt_install openssl; }
      command -v rabbitmqctl >/dev/null || { echo "Installing RabbitMQ…"; apt_install rabbitmq-server; }
      if ! rabbitmq_up; then
        echo "Starting RabbitMQ…"
        as_root rabbitmq-server -detached
        wait_for RabbitMQ rabbitmq_up
      fi
      as_root rabbitmqctl -q await_startup
      ;;
  esac
done
exit 0
