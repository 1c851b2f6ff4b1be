"""Post an NDJSON file to detectd's /evaluate in chunks over one keep-alive connection.

Usage: post_batches.py PORT FILE LINES_PER_REQUEST
Prints the number of events, the matches reported by detectd and the events per second.
"""
import http.client
import json
import sys
import time


def main() -> None:
    port, path, chunk = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    lines = open(path, "rb").read().splitlines(keepends=True)
    bodies = [b"".join(lines[i:i + chunk]) for i in range(0, len(lines), chunk)]
    connection = http.client.HTTPConnection("127.0.0.1", port)
    matched = 0
    started = time.perf_counter()
    for body in bodies:
        connection.request("POST", "/evaluate?dry_run=true", body=body,
                           headers={"Content-Type": "application/x-ndjson"})
        response = connection.getresponse()
        payload = response.read()
        if response.status != 200:
            raise SystemExit(f"status {response.status}: {payload[:300]!r}")
        matched += json.loads(payload)["matched"]
    elapsed = time.perf_counter() - started
    print(f"{len(lines)} {matched} {len(lines) / elapsed:.0f}")


if __name__ == "__main__":
    main()
