#!/usr/bin/env bash
# Storage benchmark: alert insert rate through POST /evaluate with 64 concurrent clients (group
# commit, synchronous=FULL), against SQLite inserting the same rows in one transaction in the
# same run; then GET /alerts page latency on a database of ALERTS alerts.
# Usage: bench/store.sh [INSERTS] [ALERTS] [REQUESTS]   (defaults: 20000 1000000 2000)
set -euo pipefail
cd "$(dirname "$0")/.."

inserts=${1:-20000}
alerts=${2:-1000000}
requests=${3:-2000}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

make -s deps
swift build -c release --product detectd >/dev/null
binary="$(swift build -c release --show-bin-path)/detectd"

start_server() {
  port=$((20000 + RANDOM % 20000))
  "$binary" --listen "127.0.0.1:$port" --database "$1" --log-level warning &
  server=$!
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && return; sleep 0.1; done
  echo "detectd did not start" >&2
  exit 1
}

stop_server() {
  kill -TERM "$server"
  wait "$server" || true
  server=""
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(df -h --output=source,fstype "$work" | tail -1 | xargs)"
echo "command: bench/store.sh $inserts $alerts $requests"

start_server "$work/insert.sqlite"
python3 bench/store_inserts.py "$port" "$inserts" 64 "$work/rate"
stop_server
python3 bench/store_bulk_baseline.py "$work/insert.sqlite" "$work/baseline.sqlite" "$work/rate"

python3 bench/store_fill.py "$work/insert.sqlite" "$work/large.sqlite" "$alerts"
start_server "$work/large.sqlite"
python3 bench/store_latency.py "$port" "$requests"
stop_server
