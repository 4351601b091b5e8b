#!/usr/bin/env bash
# Makes sure the servers the test suites need answer on loopback:
#   PostgreSQL on 127.0.0.1:5432 (trust auth, database "test"); NATS with JetStream on 127.0.0.1:4222; OpenSSH's sshd binary for the SFTP suites; Debian's Chromium for the browser tests.
# Starts only what is not already running, from Debian's packages (installing them when missing
# and allowed), in throw-away data directories; `stop` stops only what `start` started.
set -euo pipefail
state=${CROSSDOCK_SERVICES_STATE:-/tmp/crossdock-services}
mkdir -p "$state"

pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "services: installing PostgreSQL (Debian package)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  echo "$bin"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_pg() {
  if pg_up; then echo "services: PostgreSQL already answers on 127.0.0.1:5432"; return; fi
  local bin dir
  bin=$(pg_bin)
  if [ -z "$bin" ]; then echo "services: PostgreSQL is not running and not installed (apt-get install postgresql)" >&2; exit 1; fi
  dir="$state/pg"
  rm -rf "$dir" && mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-c listen_addresses=127.0.0.1 -p 5432 -k $dir -c fsync=off" start >/dev/null
  as_postgres "$bin/createdb" -h 127.0.0.1 -p 5432 -U postgres test
  echo "$bin" > "$state/pg.started"
  echo "services: started PostgreSQL on 127.0.0.1:5432 ($dir)"
}

stop_pg() {
  [ -f "$state/pg.started" ] || return 0
  as_postgres "$(cat "$state/pg.started")/pg_ctl" -D "$state/pg/data" -m fast stop >/dev/null || true
  rm -f "$state/pg.started"
  echo "services: stopped the PostgreSQL this script started"
}

nats_up() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }

start_nats() {
  if nats_up; then echo "services: NATS already answers on 127.0.0.1:4222"; return; fi
  if ! command -v nats-server >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "services: installing nats-server (Debian package)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null) >&2
  fi
  command -v nats-server >/dev/null || { echo "services: NATS is not running and not installed (apt-get install nats-server)" >&2; exit 1; }
  mkdir -p "$state/nats"
  nats-server -a 127.0.0.1 -p 4222 -js -sd "$state/nats" -l "$state/nats.log" &
  echo $! > "$state/nats.started"
  for _ in $(seq 1 50); do nats_up && break; sleep 0.1; done
  nats_up || { echo "services: nats-server did not start (see $state/nats.log)" >&2; exit 1; }
  echo "services: started NATS with JetStream on 127.0.0.1:4222"
}

stop_nats() {
  [ -f "$state/nats.started" ] || return 0
  kill "$(cat "$state/nats.started")" 2>/dev/null || true
  rm -f "$state/nats.started"
  echo "services: stopped the NATS this script started"
}

# The SFTP suites start their own sshd on a loopback port; they only need the binary.
ensure_sshd() {
  [ -x /usr/sbin/sshd ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "services: installing openssh-server (Debian package) for the SFTP suites" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null) >&2
    # The package may start a system sshd on port 22; the suites do not use it.
    command -v service >/dev/null && service ssh stop >/dev/null 2>&1 || true
  fi
  [ -x /usr/sbin/sshd ] || { echo "services: /usr/sbin/sshd missing (apt-get install openssh-server)" >&2; exit 1; }
}

# The console's browser tests drive Debian's Chromium (a browser download of a test tool's own fails here).
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "services: installing chromium (Debian package) for the browser tests" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) >&2
  fi
  [ -x /usr/bin/chromium ] || { echo "services: /usr/bin/chromium missing (apt-get install chromium)" >&2; exit 1; }
}

case "${1:-start}" in
  start) start_pg; start_nats; ensure_sshd; ensure_chromium ;;
  stop) stop_pg; stop_nats ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
