#!/usr/bin/env bash
# A throwaway Redis for tests, in a folder of its own, on a loopback port, keeping nothing on disk.
#
#   scripts/redis-throwaway.sh start DIR [PORT]   starts it; prints its address (127.0.0.1:PORT)
#   scripts/redis-throwaway.sh stop DIR           stops it (the folder stays until you delete it)
#
# With REDIS_THROWAWAY_OWNER_PID set, a watchdog stops it and deletes DIR as soon as that process ends, so that a
# test run that dies (or exits without stopping it) leaves nothing running.
set -euo pipefail

command=${1:?usage: redis-throwaway.sh start|stop DIR [PORT]}
dir=${2:?usage: redis-throwaway.sh start|stop DIR [PORT]}

command -v redis-server >/dev/null 2>&1 || { echo "redis-server was not found: install it (apt-get install redis-server)" >&2; exit 1; }

free_port() {
  local port
  for port in $(seq 56379 56879); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free loopback port in 56379-56879" >&2
  exit 1
}

case "$command" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    port=${3:-$(free_port)}
    echo "$port" >"$dir/port"
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [ -s "$dir/redis.pid" ]; then break; fi
      sleep 0.1
    done
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { cat "$dir/redis.log" >&2; exit 1; }
    if [ -n "${REDIS_THROWAWAY_OWNER_PID:-}" ]; then
      nohup setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done
        [ -s "$2/redis.pid" ] && kill "$(cat "$2/redis.pid")" 2>/dev/null
        rm -rf "$2"' watchdog "$REDIS_THROWAWAY_OWNER_PID" "$dir" >/dev/null 2>&1 &
    fi
    echo "127.0.0.1:$port"
    ;;
  stop)
    if [ -s "$dir/redis.pid" ]; then
      pid=$(cat "$dir/redis.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/redis.pid"
    fi
    ;;
  *)
    echo "usage: redis-throwaway.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
