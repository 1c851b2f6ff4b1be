#!/usr/bin/env bash
# HTTP throughput and latency of detectd against nginx on the same machine, and the memory that
# idle keep-alive connections cost. Usage: bench/http.sh [ROUNDS] [SECONDS]
#
# nginx serves a `return 200` location as the baseline. Each round runs the same
# `wrk -t2 -c64 -dSECONDS` against both servers, back to back (nginx first in odd rounds, detectd
# first in even ones), for GET /health and for POST /evaluate with one non-matching 616-byte
# event. A round's ratio compares the two runs made under the same machine load; the verdict is
# the median of those ratios. Then a fresh detectd keeps 1,000 idle keep-alive connections open,
# and its RSS is compared with its RSS with none open.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-3}
seconds=${2:-10}
idle_connections=1000

install_if_missing() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" != 0 ]; then
    echo "bench/http.sh: missing Debian packages: ${missing[*]}; install them with apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  # Keep Debian's scripts from starting nginx on port 80 with its default site.
  local added_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    added_policy=yes
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  [ -n "$added_policy" ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

install_if_missing wrk nginx-light
make -s deps
swift build -c release --product detectd >/dev/null

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Descriptors for 1,000 connections plus the server's own.
ulimit -n 4096 2>/dev/null || true

wait_for_port() {
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench/http.sh: no server responded to GET /health on 127.0.0.1:$1 within 10 seconds" >&2
  exit 1
}

start_detectd() {
  local port=$1
  rm -rf "$work/data" && mkdir -p "$work/data"
  .build/release/detectd --listen "127.0.0.1:$port" --database "$work/data/detectd.sqlite" --log-level warning \
    2>>"$work/detectd.log" &
  detectd_pid=$!
  pids+=("$detectd_pid")
  wait_for_port "$port"
}

nginx_port=$((20000 + RANDOM % 10000))
detectd_port=$((nginx_port + 1))
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      default_type application/json;
      return 200 '{"status":"ok"}';
    }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" &
pids+=("$!")
wait_for_port "$nginx_port"
start_detectd "$detectd_port"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "command: bench/http.sh $rounds $seconds   (wrk -t2 -c64 -d${seconds}s, $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(nginx -v 2>&1 | cut -d' ' -f3))"

# Runs wrk and prints "requests/s p50 p90 p99 max errors non2xx".
run_wrk() {
  local url=$1
  shift
  env "$@" wrk -t2 -c64 -d"${seconds}s" -s bench/wrk_report.lua "$url" | awk '/^RESULT/ {print $2, $3, $4, $5, $6, $7, $8}'
}

declare -A rates
declare -A ratios
declare -A last_rate
for round in $(seq "$rounds"); do
  # Alternate which server goes first, so that a load that builds up or fades during a round
  # does not favour the same one every time.
  order="nginx detectd"
  [ $((round % 2)) -eq 0 ] && order="detectd nginx"
  for workload in health evaluate; do
    for server in $order; do
      port=$nginx_port
      [ "$server" = detectd ] && port=$detectd_port
      if [ "$workload" = health ]; then
        result=$(run_wrk "http://127.0.0.1:$port/health" WRK_METHOD=GET)
      else
        result=$(run_wrk "http://127.0.0.1:$port/evaluate" WRK_METHOD=POST WRK_BODY_FILE=bench/nonmatching-event.json)
      fi
      read -r rate p50 p90 p99 max errors non2xx <<<"$result"
      rates[$workload,$server]="${rates[$workload,$server]:-} $rate"
      printf 'round %d %-8s %-7s %9.0f req/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  errors %d  non-2xx %d\n' \
        "$round" "$workload" "$server" "$rate" "$p50" "$p90" "$p99" "$max" "$errors" "$non2xx"
      last_rate[$server]=$rate
    done
    ratios[$workload]="${ratios[$workload]:-} $(python3 -c "print(${last_rate[detectd]} / ${last_rate[nginx]} * 100)")"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
for workload in health evaluate; do
  nginx_rate=$(echo "${rates[$workload,nginx]}" | median)
  detectd_rate=$(echo "${rates[$workload,detectd]}" | median)
  target=70
  [ "$workload" = evaluate ] && target=40
  ratio=$(echo "${ratios[$workload]}" | median)
  # The verdict uses the median of the per-round ratios: the two servers of a round ran back to
  # back under the same machine load, which the medians of the rates alone do not pair up.
  python3 -c "
ratio = $ratio
rounds = ' '.join(f'{float(r):.0f}%' for r in '${ratios[$workload]}'.split())
verdict = 'met' if ratio >= $target else 'MISSED'
print(f'median $workload: detectd $detectd_rate req/s, nginx $nginx_rate req/s; ratio per round {rounds}; median ratio {ratio:.0f}% (target >= $target%: {verdict})')"
done

# Memory: a fresh detectd, RSS after one request, then with the idle connections held open.
kill "$detectd_pid" && wait "$detectd_pid" 2>/dev/null || true
start_detectd "$detectd_port"
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
sleep 1
baseline=$(rss_kib "$detectd_pid")
python3 bench/idle_connections.py "$detectd_port" "$idle_connections" 60 >"$work/idle.out" &
holder=$!
pids+=("$holder")
for _ in $(seq 600); do
  grep -q '^ready' "$work/idle.out" && break
  kill -0 "$holder" 2>/dev/null || break
  sleep 0.1
done
grep -q '^ready' "$work/idle.out" || { echo "bench/http.sh: the idle-connection client failed" >&2; exit 1; }
sleep 1
held=$(rss_kib "$detectd_pid")
open_now=$(ls "/proc/$detectd_pid/fd" | wc -l)
kill "$holder"
python3 -c "
cost = ($held - $baseline) / 1024
verdict = 'met' if cost <= 16 else 'MISSED'
print(f'idle keep-alive: RSS {$baseline / 1024:.1f} MiB with none open, {$held / 1024:.1f} MiB with $idle_connections open ($open_now descriptors open): {cost:.1f} MiB, {cost * 1024 / $idle_connections:.1f} KiB each (target <= 16 MiB: {verdict})')"
