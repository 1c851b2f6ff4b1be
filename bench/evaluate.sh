#!/usr/bin/env bash
# Throughput of POST /evaluate on real corpus events, against Python `eql` evaluating the same
# file in the same run. Usage: bench/evaluate.sh [EVENTS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."

events=${1:-100000}
rounds=${2:-3}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

make -s deps
swift build -c release --product detectd >/dev/null
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q eql==1.0.1 orjson

python3 bench/make_corpus_batch.py Tests/APITests/Fixtures/corpus "$events" "$work/batch.ndjson"
bytes=$(stat -c %s "$work/batch.ndjson")

port=$((20000 + RANDOM % 20000))
.build/release/detectd --listen "127.0.0.1:$port" --database "$work/detectd.sqlite" --log-level warning &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "command: bench/evaluate.sh $events $rounds   (batch: $events events, $bytes bytes)"
for round in $(seq "$rounds"); do
  # dry_run, so that every round evaluates every event instead of finding duplicates.
  read -r _ matched detectd_rate < <(python3 bench/post_batches.py "$port" "$work/batch.ndjson" 4000)
  read -r _ python_matches python_rate < <("$work/venv/bin/python" bench/evaluate_reference.py "$work/batch.ndjson")
  ratio=$(python3 -c "print(f'{$detectd_rate / $python_rate:.1f}')")
  echo "round $round: detectd /evaluate $detectd_rate events/s (matched $matched); python eql $python_rate events/s (matched $python_matches); ratio ${ratio}x"
done
