#!/usr/bin/env bash
# Builds the SwiftPM product fuzz-NAME with libFuzzer and AddressSanitizer and runs it for
# SECONDS on a copy of fuzz/corpus/NAME. Exits non-zero on a crash, a leak, a timeout or a
# failed build. Findings are kept in .build/fuzz/findings/NAME/.
#
#     fuzz/run.sh http-request 60
set -euo pipefail

if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh NAME SECONDS   (NAME as in the product fuzz-NAME, e.g. http-request)" >&2
    exit 2
fi
name=$1
seconds=$2

cd "$(dirname "$0")/.."
root=$(pwd)
corpus_seeds="$root/fuzz/corpus/$name"
if [ ! -d "$corpus_seeds" ]; then
    echo "fuzz/run.sh: no seed corpus at fuzz/corpus/$name" >&2
    exit 2
fi

# The Debian packages the build links against (zlib, SQLite, simdjson).
make --no-print-directory deps

# A scratch path of its own, so that the instrumented build never mixes with normal builds.
scratch="$root/.build/fuzz"
findings="$scratch/findings/$name"
build_log="$scratch/build-$name.log"
mkdir -p "$scratch" "$findings"

echo "Building fuzz-$name with -sanitize=fuzzer,address (log: $build_log)"
if ! swift build -c release --scratch-path "$scratch" --product "fuzz-$name" \
    -Xswiftc -sanitize=fuzzer,address \
    -Xcc -fsanitize=fuzzer-no-link,address \
    -Xcc -DDETECTD_LIBFUZZER >"$build_log" 2>&1; then
    # The linker warns about every sanitizer symbol; show the errors only.
    grep -E "error|Error" "$build_log" | head -40 >&2 || tail -40 "$build_log" >&2
    echo "fuzz/run.sh: building fuzz-$name failed" >&2
    exit 1
fi
binary="$scratch/release/fuzz-$name"

# libFuzzer adds the inputs it finds to the corpus folder, so it works on a copy.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$corpus_seeds" "$work/corpus"

echo "Running fuzz-$name for $seconds seconds on $(find "$work/corpus" -type f | wc -l) seed inputs"
status=0
# The Swift runtime's backtracer would run inside the sanitizer's crash handling; libFuzzer prints
# the stack itself.
export SWIFT_BACKTRACE=enable=no
# Leaks inside the toolchain's own libraries, each explained in the file.
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan-suppressions.txt:print_suppressions=0"
"$binary" "$work/corpus" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -max_len=8192 \
    -print_final_stats=1 \
    -artifact_prefix="$findings/" \
    >"$work/fuzz.log" 2>&1 || status=$?

# Keep the progress lines short in CI logs: the start, the last few and the final statistics.
head -n 12 "$work/fuzz.log"
echo "..."
tail -n 40 "$work/fuzz.log"

if [ "$status" -ne 0 ]; then
    echo "fuzz/run.sh: fuzz-$name found a problem (libFuzzer exit status $status)." >&2
    echo "The input is in $findings/; replay it with: $binary INPUT" >&2
    exit 1
fi
echo "fuzz/run.sh: fuzz-$name ran $seconds seconds without a finding."
