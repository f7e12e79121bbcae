#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, in a folder of its own, on a loopback port.
#
#   scripts/postgres-throwaway.sh start DIR [PORT]   creates (if needed) and starts it; prints the connection string
#   scripts/postgres-throwaway.sh stop DIR           stops it (the folder stays until you delete it)
#
# With PG_THROWAWAY_OWNER_PID set, a watchdog stops the cluster and deletes DIR as soon as that process ends, so
# that a test run that dies (or exits without stopping it) leaves nothing running.
# It trusts local connections and listens on 127.0.0.1 only. PostgreSQL refuses to run as root, so as root the
# cluster is owned and run by the 'postgres' user.
set -euo pipefail

command=${1:?usage: postgres-throwaway.sh start|stop DIR [PORT]}
dir=${2:?usage: postgres-throwaway.sh start|stop DIR [PORT]}

find_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  for candidate in /usr/lib/postgresql/*/bin/"$1"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  echo "PostgreSQL's $1 was not found: install PostgreSQL 15 (apt-get install postgresql-15)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for port in $(seq 55432 55932); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free loopback port in 55432-55932" >&2
  exit 1
}

case "$command" in
  start)
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    port=${3:-$(cat "$dir/port" 2>/dev/null || free_port)}
    echo "$port" >"$dir/port"
    as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    if [ -n "${PG_THROWAWAY_OWNER_PID:-}" ]; then
      nohup setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done
        if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$2" -D "$3/data" -m immediate stop; else "$2" -D "$3/data" -m immediate stop; fi
        rm -rf "$3"' watchdog "$PG_THROWAWAY_OWNER_PID" "$pg_ctl" "$dir" >/dev/null 2>&1 &
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    pg_ctl=$(find_bin pg_ctl)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *)
    echo "usage: postgres-throwaway.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
