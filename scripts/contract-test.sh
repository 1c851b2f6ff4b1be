#!/usr/bin/env bash
# Contract test: runs schemathesis with all its checks against a live detectd on 127.0.0.1, using
# openapi.yaml. Every status, header and body the server sends must be declared there.
# Usage: scripts/contract-test.sh [MAX_EXAMPLES]   (default 30 per operation; a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."

max_examples=${1:-30}
work=$(mktemp -d)
venv=${DETECTD_TOOLS_VENV:-/var/cache/detectd-tools/venv}
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis>=4,<5'
fi

swift build --product detectd >/dev/null
binary="$(swift build --show-bin-path)/detectd"
port=$((20000 + RANDOM % 20000))
secret="contract-test-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# schemathesis sends wrong keys on purpose (its ignored_auth check), more than the default 20 a
# minute after which one client address gets 429 for every request.
DETECTD_API_KEY="$secret" "$binary" --auth-failure-limit 1000000 --listen "127.0.0.1:$port" --database "$work/detectd.sqlite" --log-level warning 2>"$work/detectd.log" &
server=$!
for _ in $(seq 100); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=1)" 2>/dev/null; then break; fi
  sleep 0.1
done

# positive_data_acceptance is left out: opaque cursors, RFC 3339 times and date math cannot be
# described exactly in JSON Schema, so a schema-valid value such as cursor=0 rightly gets 400.
# POST /exceptions/_import takes NDJSON only, which schemathesis cannot generate (it has no
# serializer for application/x-ndjson); Tests/APITests covers that route instead.
# One worker: with two, schemathesis 4.32 on CPython 3.11.7 failed runs at random with
# "SystemError: AST constructor recursion depth mismatch", raised while hypothesis parsed its
# own source in both worker threads at once. With one worker, five runs in a row passed.
status=0
"$venv/bin/schemathesis" run openapi.yaml \
  --exclude-operation-id importExceptions \
  --url "http://127.0.0.1:$port" \
  --header "Authorization: ApiKey $secret" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --max-examples "$max_examples" \
  --workers 1 \
  --seed 1 \
  --suppress-health-check all || status=$?

if [ "$status" -ne 0 ]; then
  echo "contract test failed; server log:" >&2
  tail -50 "$work/detectd.log" >&2
fi
exit "$status"
