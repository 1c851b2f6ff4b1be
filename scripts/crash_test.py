"""Crash-test driver for scripts/crash-test.sh: post, SIGKILL, restart, verify.

Usage: crash_test.py DETECTD_BINARY WORK_FOLDER ROUNDS
"""
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

CLIENTS = 4
EVENTS_PER_REQUEST = 20


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(binary, database, port, log):
    process = subprocess.Popen(
        [binary, "--listen", f"127.0.0.1:{port}", "--database", database, "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"detectd exited with status {process.returncode} at start")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("detectd did not respond to GET /health within 30 s")


def event(event_id):
    return json.dumps({
        "@timestamp": "2024-03-01T10:00:00.000Z",
        "event": {"id": event_id, "category": ["registry"], "type": ["change"]},
        "host": {"name": "CRASH-01"},
        "registry": {"path": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/8443",
                     "data": {"strings": ["192.0.2.10/3389"]}},
    })


def client(port, round_number, client_number, confirmed, stop):
    """Posts batches until the server dies; keeps the alert ids of every 2xx response."""
    sequence = 0
    while not stop.is_set():
        ids = [f"r{round_number}-c{client_number}-{sequence}-{index}" for index in range(EVENTS_PER_REQUEST)]
        body = "\n".join(event(event_id) for event_id in ids)
        sequence += 1
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", "/evaluate", body, {"Content-Type": "application/x-ndjson"})
            response = connection.getresponse()
            payload = response.read()
        except OSError:
            return
        if 200 <= response.status < 300:
            results = json.loads(payload)["results"]
            confirmed.extend(result["alert_id"] for result in results if result["result"] in ("alert", "duplicate"))


def run_round(binary, folder, round_number, confirmed_all, log):
    database = os.path.join(folder, "detectd.sqlite")
    port = free_port()
    process = start(binary, database, port, log)
    confirmed, stop = [], threading.Event()
    threads = [threading.Thread(target=client, args=(port, round_number, number, confirmed, stop)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(random.uniform(0.3, 2.5))
    process.send_signal(signal.SIGKILL)
    process.wait()
    stop.set()
    for thread in threads:
        thread.join()
    confirmed_all.update(confirmed)

    # Restart on the same file, so that detectd itself recovers the write-ahead log.
    port = free_port()
    process = start(binary, database, port, log)
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as reader:
            stored = {row[0] for row in reader.execute("SELECT id FROM alerts")}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    with sqlite3.connect(database) as checker:
        integrity = checker.execute("PRAGMA integrity_check").fetchone()[0]

    missing = confirmed_all - stored
    print(f"round {round_number}: {len(confirmed)} alerts confirmed by 2xx this round, "
          f"{len(confirmed_all)} in all, {len(stored)} stored, {len(missing)} missing, integrity_check {integrity}",
          flush=True)
    return not missing and integrity == "ok" and confirmed


def main():
    binary, folder, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    confirmed_all = set()
    passed = failed = 0
    with open(os.path.join(folder, "detectd.log"), "w") as log:
        for round_number in range(1, rounds + 1):
            if run_round(binary, folder, round_number, confirmed_all, log):
                passed += 1
            else:
                failed += 1
                break
    print(f"crash-test: {passed} passed, {failed} failed")
    if failed:
        with open(os.path.join(folder, "detectd.log")) as log:
            sys.stderr.write(log.read()[-4000:])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
