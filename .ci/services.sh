#!/usr/bin/env bash
# Makes sure the servers the test suites need answer on loopback:
#   PostgreSQL on 127.0.0.1:5432 (trust auth, database "test"); OpenSSH's sshd binary for the SFTP suites.
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

case "${1:-start}" in
  start) start_pg; ensure_sshd ;;
  stop) stop_pg ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
