#!/usr/bin/env bash
# Builds the detectd container image offline with podman and tests it as a user would: health
# check, evaluation, alerts kept across a restart, and a clean stop on SIGTERM.
#
# Usage, as root on Debian 12 from the repository root or anywhere inside it:
#   docker/test-image.sh
#
# No Docker engine is needed and no image is pulled:
# - the base image debian:bookworm-slim is made with `debootstrap --variant=minbase bookworm`
#   and `podman import`. The root file system is cached in $CACHE_DIR, so only the first run
#   downloads packages from the Debian mirror that apt uses.
# - the Swift build stage is replaced by a binary built on the host with the same command
#   (a named build context called "build"), so the Dockerfile's runtime stage is what is tested.
# - podman runs with runc, the cgroupfs cgroup manager, the vfs storage driver and explicit
#   ulimits from a containers.conf that this script writes.
#
# The container's port is published on 127.0.0.1 only. Exits non-zero on the first failure and
# prints the container's log. Environment:
#   CACHE_DIR       cache of the base root file system and podman's storage
#                   (default /var/cache/detectd-image-test)
#   HOST_PORT       the loopback port to publish (default 18080)
#   KEEP_IMAGE=1    keep the built image (detectd:test) after the run
set -euo pipefail

CACHE_DIR=${CACHE_DIR:-/var/cache/detectd-image-test}
HOST_PORT=${HOST_PORT:-18080}
IMAGE=localhost/detectd:test
BASE_IMAGE=docker.io/library/debian:bookworm-slim
# A fresh random secret for each run; detectd requires at least 24 characters.
API_KEY=detectd-image-test-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d " \n")
STOP_LIMIT_SECONDS=10
HEALTH_LIMIT_SECONDS=60

REPO=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=$REPO/Tests/APITests/Fixtures/corpus
WORK=$(mktemp -d /tmp/detectd-image-test.XXXXXX)
CONTAINER=detectd-image-test-$$
VOLUME=detectd-image-test-$$
STARTED_AT=$SECONDS

log() { printf '[test-image %3ds] %s\n' "$((SECONDS - STARTED_AT))" "$*"; }
fail() { printf '[test-image] FAILED: %s\n' "$*" >&2; exit 1; }

install_tools() {
    local missing=()
    for package in podman runc debootstrap curl jq binutils libsqlite3-dev libsimdjson-dev zlib1g-dev pkg-config; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if ((${#missing[@]} > 0)); then
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# Podman keeps its images and containers under $CACHE_DIR/podman, apart from any other podman
# use on the machine, and its run-time state under /run, one folder per cache folder.
configure_podman() {
    local run_dir
    run_dir=/run/detectd-image-test/$(printf '%s' "$CACHE_DIR" | md5sum | cut -c1-12)
    mkdir -p "$CACHE_DIR/podman/storage" "$run_dir"
    cat >"$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$run_dir/libpod"

[network]
network_backend = "cni"
EOF
    cat >"$WORK/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$CACHE_DIR/podman/storage"
runroot = "$run_dir/storage"
EOF
    export CONTAINERS_CONF=$WORK/containers.conf
    export CONTAINERS_STORAGE_CONF=$WORK/storage.conf
}

make_base_image() {
    if podman image exists "$BASE_IMAGE"; then
        log "base image $BASE_IMAGE is cached"
        return
    fi
    local tarball=$CACHE_DIR/bookworm-minbase.tar
    if [[ ! -f $tarball ]]; then
        log "debootstrap --variant=minbase bookworm (a few minutes on the first run)"
        rm -rf "$CACHE_DIR/rootfs.partial"
        debootstrap --variant=minbase bookworm "$CACHE_DIR/rootfs.partial" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
            || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap failed"; }
        # Leave out what the slim image leaves out too: downloaded packages and package lists.
        tar -C "$CACHE_DIR/rootfs.partial" --numeric-owner \
            --exclude='./var/cache/apt/archives/*.deb' --exclude='./var/lib/apt/lists/*' \
            -cf "$tarball.partial" .
        mv "$tarball.partial" "$tarball"
        rm -rf "$CACHE_DIR/rootfs.partial"
    fi
    log "importing the root file system as $BASE_IMAGE"
    podman import --change 'CMD ["bash"]' "$tarball" "$BASE_IMAGE" >/dev/null
}

# Builds the binary as the Dockerfile's build stage does and stages it the same way.
build_binary() {
    log "swift build -c release --static-swift-stdlib"
    local scratch=${SCRATCH_PATH:-$REPO/.build}
    (cd "$REPO" && swift build -c release --static-swift-stdlib --scratch-path "$scratch" >"$WORK/swift-build.log" 2>&1) \
        || { tail -30 "$WORK/swift-build.log"; fail "swift build failed"; }
    local bin
    bin=$(cd "$REPO" && swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)
    mkdir -p "$WORK/context/staging"
    strip -o "$WORK/context/staging/detectd" "$bin/detectd"
    cp -R "$bin/detectd_Detection.resources" "$WORK/context/staging/"
}

build_image() {
    log "podman build (runtime stage, binary from the host)"
    # Docker format, because the OCI image format has no HEALTHCHECK.
    podman build --format docker --pull=never --network host \
        --build-context "build=$WORK/context" \
        -f "$REPO/docker/Dockerfile" -t "$IMAGE" "$REPO" >"$WORK/podman-build.log" 2>&1 \
        || { tail -30 "$WORK/podman-build.log"; fail "podman build failed"; }
    local size
    size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
    log "image $IMAGE: $((size / 1000000)) MB ($size bytes)"
    [[ $(podman image inspect --format '{{.Config.User}}' "$IMAGE") == "detectd:detectd" ]] || fail "the image does not run as the detectd user"
    # Outputs are captured before grep -q reads them: grep exits at the first match, and a
    # writer still writing would then fail with SIGPIPE under pipefail.
    local healthcheck
    healthcheck=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE")
    grep -q '"detectd","health"' <<<"$healthcheck" || fail "the image has no HEALTHCHECK calling detectd health"
}

start_container() {
    # The container gets the same restrictions as in docker/compose.yaml. Podman runs health
    # checks from systemd timers, which need a running systemd. Without one, the interval is
    # disabled and wait_healthy runs the image's check with `podman healthcheck run`.
    podman run -d --name "$CONTAINER" \
        --publish "127.0.0.1:$HOST_PORT:8080" \
        --volume "$VOLUME:/data" \
        --env "DETECTD_API_KEY=$API_KEY" \
        --env DETECTD_ACCESS_LOG=true \
        --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
        --health-interval disable \
        "$IMAGE" >/dev/null 2>"$WORK/podman-run.log" \
        || { cat "$WORK/podman-run.log"; fail "podman run failed"; }
}

wait_healthy() {
    local deadline=$((SECONDS + HEALTH_LIMIT_SECONDS))
    until podman healthcheck run "$CONTAINER" >/dev/null 2>&1; do
        [[ $(podman inspect --format '{{.State.Running}}' "$CONTAINER") == true ]] || fail "the container exited before it became healthy"
        ((SECONDS < deadline)) || fail "the container was not healthy within $HEALTH_LIMIT_SECONDS s"
        sleep 1
    done
    [[ $(podman inspect --format '{{.State.Health.Status}}' "$CONTAINER") == healthy ]] || fail "podman does not report the container as healthy"
}

# Waits until at least MIN_COUNT (default 1) lines of the container's log pass the jq filter.
# It polls because conmon writes the log file shortly after detectd writes the line. Every line
# must be JSON, or jq fails.
wait_for_log() {
    local filter=$1 min_count=${2:-1} deadline=$((SECONDS + 10))
    until podman logs "$CONTAINER" 2>&1 | jq -n -e "[inputs | select($filter)] | length >= $min_count" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

api() {
    curl -sS --fail-with-body --max-time 30 -H "Authorization: ApiKey $API_KEY" "$@"
}

expected_alert_count() {
    jq -s '[.[] | select(.match == true)] | length' "$CORPUS/expected.jsonl"
}

post_corpus() {
    local created=0 file count
    for file in "$CORPUS"/*.ndjson; do
        count=$(api -H 'Content-Type: application/x-ndjson' --data-binary "@$file" "http://127.0.0.1:$HOST_PORT/evaluate" | jq '.alerts_created')
        created=$((created + count))
    done
    echo "$created"
}

stored_alert_count() {
    api "http://127.0.0.1:$HOST_PORT/alerts?limit=1000" | jq '.alerts | length'
}

# Sends SIGTERM and checks that detectd exits by itself with status 0 within the limit. Podman
# would send SIGKILL after the limit, which gives exit status 137.
# STOP_NUMBER counts the stops so far, including this one, to find this stop's log line.
stop_and_check() {
    local stop_number=$1 started_ms stopped_ms elapsed_ms status
    started_ms=$(($(date +%s%N) / 1000000))
    podman stop --time "$STOP_LIMIT_SECONDS" "$CONTAINER" >/dev/null 2>>"$WORK/podman-run.log"
    stopped_ms=$(($(date +%s%N) / 1000000))
    elapsed_ms=$((stopped_ms - started_ms))
    status=$(podman inspect --format '{{.State.ExitCode}}' "$CONTAINER")
    [[ $status == 0 ]] || fail "detectd exited with status $status on SIGTERM"
    ((elapsed_ms < STOP_LIMIT_SECONDS * 1000)) || fail "detectd took $elapsed_ms ms to stop"
    wait_for_log '.message == "detectd stopped"' "$stop_number" || fail "no 'detectd stopped' log line after SIGTERM"
    log "stopped on SIGTERM with status 0 in $elapsed_ms ms"
}

cleanup() {
    local status=$?
    if ((status != 0)) && podman container exists "$CONTAINER" 2>/dev/null; then
        echo "--- container log ---" >&2
        podman logs "$CONTAINER" 2>&1 | tail -40 >&2 || true
    fi
    podman rm -f --time 1 "$CONTAINER" >/dev/null 2>&1 || true
    podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
    if [[ ${KEEP_IMAGE:-0} != 1 ]]; then
        podman rmi -f "$IMAGE" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit "$status"
}

main() {
    [[ $(id -u) == 0 ]] || fail "run as root: podman needs it here for runc, cgroupfs and the bridge network"
    trap cleanup EXIT
    install_tools
    configure_podman
    make_base_image
    build_binary
    build_image

    log "starting $CONTAINER on 127.0.0.1:$HOST_PORT with volume $VOLUME"
    start_container
    wait_healthy
    log "healthy"

    [[ $(podman exec "$CONTAINER" id -u) == 10001 ]] || fail "detectd does not run as uid 10001"
    [[ $(podman exec "$CONTAINER" cat /proc/1/comm) == detectd ]] || fail "detectd is not PID 1 in the container"
    wait_for_log '.message == "detectd started" and .level == "info" and .time' \
        || fail "no JSON log line with time, level and the message 'detectd started'"

    local expected created stored
    expected=$(expected_alert_count)
    created=$(post_corpus)
    [[ $created == "$expected" ]] || fail "the corpus created $created alerts, expected $expected"
    stored=$(stored_alert_count)
    [[ $stored == "$expected" ]] || fail "GET /alerts lists $stored alerts, expected $expected"
    log "the corpus created $created alerts, as expected.jsonl says"

    wait_for_log '.message == "request completed" and .route == "/evaluate" and .status == "200" and (.request_id | length) == 32' \
        || fail "no access log line with a request id for POST /evaluate"
    local metrics
    metrics=$(api "http://127.0.0.1:$HOST_PORT/metrics")
    grep -q "^detectd_alerts_created_total $expected\$" <<<"$metrics" \
        || fail "/metrics does not count $expected created alerts"

    log "restarting"
    stop_and_check 1
    podman start "$CONTAINER" >/dev/null 2>>"$WORK/podman-run.log"
    wait_healthy
    stored=$(stored_alert_count)
    [[ $stored == "$expected" ]] || fail "after the restart GET /alerts lists $stored alerts, expected $expected"
    created=$(post_corpus)
    [[ $created == 0 ]] || fail "posting the corpus again created $created alerts, expected none"
    log "the alerts survived the restart, and re-posting created none"

    stop_and_check 2
    log "passed in $((SECONDS - STARTED_AT)) s"
}

main "$@"
