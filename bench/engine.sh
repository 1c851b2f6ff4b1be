#!/usr/bin/env bash
# Measures detectd's detection engine against the Python eql reference and a plain C++ loop over
# simdjson, on the same generated events, and checks that all three count the same matches.
#
# Usage: bench/engine.sh [EVENTS] [RUNS]
#   EVENTS  events per file (default 200000); two files are generated, ~600 B and ~1.5 KB events
#   RUNS    runs of each contender per file; the fastest counts (default 3)
#
# Needs: Debian 12 with the Swift toolchain, g++, libsimdjson-dev, python3-venv (installed with
# apt-get when missing and run as root) and PyPI access for eql 1.0.1 and orjson. Times are the
# CPU time of the measuring thread, so other processes on the machine disturb them less than
# wall-clock time. Takes about 3 minutes on 2 cores, most of it the release build.
set -euo pipefail

EVENTS=${1:-200000}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_WORK:-$(mktemp -d /tmp/detectd-bench-engine.XXXXXX)}
mkdir -p "$WORK"
SCRATCH=${BENCH_SCRATCH:-/tmp/detectd-bench-engine-build}
PATTERN='HKLM\SYSTEM\*ControlSet*\Services\PortProxy\v4tov4\*'
QUERY='registry where registry.path : "HKLM\\SYSTEM\\*ControlSet*\\Services\\PortProxy\\v4tov4\\*"'

need_packages=()
command -v g++ >/dev/null || need_packages+=(g++)
[ -f /usr/include/simdjson.h ] || need_packages+=(libsimdjson-dev)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_packages+=(python3-venv)
if [ ${#need_packages[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages; run: apt-get install -y ${need_packages[*]}" >&2
        exit 1
    fi
    apt-get update -qq && apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "$(free -g | awk '/Mem:/ {print $2}') GiB memory, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== command"
echo "bench/engine.sh $EVENTS $RUNS"

echo "== building"
(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product detectd-bench-engine >"$WORK/build.log" 2>&1) || {
    cat "$WORK/build.log" >&2
    exit 1
}
ENGINE="$SCRATCH/release/detectd-bench-engine"
g++ -O3 -std=c++17 -DSIMDJSON_THREADS_ENABLED=1 -o "$WORK/engine_simdjson" "$ROOT/bench/engine_simdjson.cpp" -lsimdjson
if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q 'eql==1.0.1' orjson
fi
echo "eql $("$WORK/venv/bin/python" -c 'import eql; print(eql.__version__)'), orjson $("$WORK/venv/bin/python" -c 'import orjson; print(orjson.__version__)'), $(g++ --version | head -1), $(swift --version 2>/dev/null | head -1)"

# Prints the fastest "events=… matches=… seconds=…" line of RUNS runs of a command.
fastest() {
    local best="" line seconds best_seconds
    for _ in $(seq "$RUNS"); do
        line=$("$@" | grep '^events=')
        seconds=$(sed 's/.*seconds=//' <<<"$line")
        if [ -z "$best" ] || awk "BEGIN {exit !($seconds < $best_seconds)}"; then
            best=$line
            best_seconds=$seconds
        fi
    done
    echo "$best"
}

field() { sed "s/.*$1=\([^ ]*\).*/\1/" <<<"$2"; }

status=0
for size in large small; do
    file="$WORK/events-$size.ndjson"
    expected=$(python3 "$ROOT/bench/engine_generate.py" "$file" "$EVENTS" "$size")
    bytes=$(stat -c %s "$file")
    echo "== $size events: $EVENTS events, $((bytes / EVENTS)) bytes each on average, $expected should match"

    detectd=$(fastest "$ENGINE" "$file")
    cpp=$(fastest "$WORK/engine_simdjson" "$file" "$PATTERN")
    python=$(fastest "$WORK/venv/bin/python" "$ROOT/bench/engine_reference.py" "$file" "$QUERY")

    for name in detectd cpp python; do
        result=${!name}
        matches=$(field matches "$result")
        seconds=$(field seconds "$result")
        awk -v n="$name" -v e="$EVENTS" -v s="$seconds" -v b="$bytes" -v m="$matches" \
            'BEGIN {printf "%-8s %9.0f events/s %8.1f MB/s  %6.3f s  %d matches\n", n, e / s, b / s / 1e6, s, m}'
        if [ "$matches" != "$expected" ]; then
            echo "MISMATCH: $name counted $matches matches, expected $expected" >&2
            status=1
        fi
    done
    if [ "$(field suppressed "$detectd")" != "0" ]; then
        echo "MISMATCH: the benchmark's exception items suppressed events" >&2
        status=1
    fi
    awk -v d="$(field seconds "$detectd")" -v c="$(field seconds "$cpp")" -v p="$(field seconds "$python")" \
        'BEGIN {printf "ratios: detectd/python %.1fx (target >= 8x), detectd/C++ %.0f%% (target >= 75%%)\n", p / d, 100 * c / d}'
done
exit $status
