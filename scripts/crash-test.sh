#!/usr/bin/env bash
# Crash test: detectd is killed with SIGKILL at a random moment while several clients post
# matching events, then restarted. Every alert whose request got a 2xx must be stored, and
# PRAGMA integrity_check must return ok. Usage: scripts/crash-test.sh [ROUNDS] (default 20).
# Exits non-zero on the first failed round.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-20}
make -s deps
if ! command -v python3 >/dev/null; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3
  else
    echo "crash-test: python3 is missing; install it with: sudo apt-get install -y python3" >&2
    exit 1
  fi
fi

swift build --product detectd >/dev/null
binary="$(swift build --show-bin-path)/detectd"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 scripts/crash_test.py "$binary" "$work" "$rounds"
