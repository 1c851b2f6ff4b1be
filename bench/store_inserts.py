"""Insert rate through POST /evaluate: CLIENTS threads, each on its own keep-alive connection,
post one matching event per request, so that every request waits for its own commit.

Usage: store_inserts.py PORT ALERTS CLIENTS RATE_FILE
Writes the rate in alerts per second to RATE_FILE for store_bulk_baseline.py.
"""
import http.client
import json
import sys
import threading
import time


def event(event_id):
    return json.dumps({
        "@timestamp": "2024-03-01T10:00:00.000Z",
        "event": {"id": event_id, "category": ["registry"], "type": ["change"], "ingested": "2024-03-01T10:00:01.000Z"},
        "host": {"name": f"WKS-{hash(event_id) % 500:03d}", "os": {"type": "windows"}},
        "user": {"name": f"user-{hash(event_id) % 100}"},
        "process": {"executable": "C:\\Windows\\System32\\netsh.exe", "name": "netsh.exe",
                    "command_line": "netsh interface portproxy add v4tov4 listenport=8443 connectaddress=192.0.2.10 connectport=3389"},
        "registry": {"path": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/8443",
                     "data": {"strings": ["192.0.2.10/3389"]}},
    })


def worker(port, ids, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for event_id in ids:
        connection.request("POST", "/evaluate", event(event_id), {"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        if response.status != 200 or json.loads(payload)["alerts_created"] != 1:
            errors.append(f"{response.status}: {payload[:200]!r}")
            return


def main():
    port, alerts, clients = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    ids = [f"insert-{index}" for index in range(alerts)]
    errors = []
    threads = [threading.Thread(target=worker, args=(port, ids[number::clients], errors)) for number in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"insert failed: {errors[0]}")
    print(f"detectd POST /evaluate, {clients} clients, one event per request, synchronous=FULL: "
          f"{alerts} alerts in {elapsed:.2f} s = {alerts / elapsed:.0f} alerts/s")
    with open(sys.argv[4], "w") as rate:
        rate.write(f"{alerts / elapsed}")


if __name__ == "__main__":
    main()
