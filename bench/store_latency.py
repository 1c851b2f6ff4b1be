"""GET /alerts page latency over one keep-alive connection: a fixed mix of filters and deep
cursor paging, each request timed from send to the last byte read.

Usage: store_latency.py PORT REQUESTS
"""
import http.client
import json
import statistics
import sys
import time

TARGETS = [
    "/alerts",
    "/alerts?status=open",
    "/alerts?status=acknowledged,closed&order=asc",
    "/alerts?host.name=WKS-0123",
    "/alerts?user.name=user-42&since=2023-12-01T00:00:00Z",
    "/alerts?severity=medium&limit=50",
    "/alerts?since=2023-12-01T00:00:00Z&until=2023-12-15T00:00:00Z",
]


def timed(connection, target):
    started = time.perf_counter()
    connection.request("GET", target)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise SystemExit(f"{target}: status {response.status}: {body[:200]!r}")
    return elapsed, body


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    port, requests = int(sys.argv[1]), int(sys.argv[2])
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for target in TARGETS:
        timed(connection, target)  # warm the page cache and the statement caches

    latencies = []
    cursor = None
    while len(latencies) < requests:
        for target in TARGETS:
            elapsed, _ = timed(connection, target)
            latencies.append(elapsed)
        # One step of deep paging through the whole table, newest first.
        paging = "/alerts?limit=100" + (f"&cursor={cursor}" if cursor else "")
        elapsed, body = timed(connection, paging)
        latencies.append(elapsed)
        cursor = json.loads(body)["next_cursor"]

    totals = [timed(connection, "/alerts?status=open&limit=1&total=true")[0] for _ in range(5)]
    print(f"GET /alerts (100 alerts a page unless limit is set), {len(latencies)} requests: "
          f"p50 {statistics.median(latencies):.2f} ms, p99 {percentile(latencies, 0.99):.2f} ms, "
          f"max {max(latencies):.2f} ms")
    print(f"GET /alerts?status=open&total=true (counts every open alert): median {statistics.median(totals):.0f} ms")


if __name__ == "__main__":
    main()
