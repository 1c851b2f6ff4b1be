"""Copies a detectd database and fills it to ALERTS alerts, built from its first alert with a new
id, time, host, user and status each, spread over 90 days.

Usage: store_fill.py SOURCE_DATABASE TARGET_DATABASE ALERTS
"""
import hashlib
import shutil
import sqlite3
import sys
import time

DAY_MS = 86_400_000
BATCH = 50_000


def main():
    source, target, alerts = sys.argv[1], sys.argv[2], int(sys.argv[3])
    shutil.copyfile(source, target)
    started = time.perf_counter()
    database = sqlite3.connect(target, isolation_level=None)
    database.execute("PRAGMA journal_mode = WAL")
    # Only for building the fixture quickly; detectd itself runs with synchronous=FULL.
    database.execute("PRAGMA synchronous = OFF")
    columns = [row[1] for row in database.execute("PRAGMA table_info(alerts)")]
    template = dict(zip(columns, database.execute(f"SELECT {', '.join(columns)} FROM alerts LIMIT 1").fetchone()))
    existing = database.execute("SELECT count(*) FROM alerts").fetchone()[0]
    start_ms = 1_700_000_000_000
    step_ms = 90 * DAY_MS // max(alerts, 1)
    statuses = ["open"] * 7 + ["acknowledged"] * 2 + ["closed"]

    def row(index):
        alert_id = hashlib.sha256(f"fill-{index}".encode()).hexdigest()
        values = dict(template)
        values["id"] = alert_id
        values["timestamp_ms"] = start_ms + index * step_ms
        values["status"] = statuses[index % 10]
        values["host_name"] = f"WKS-{index * 7919 % 2000:04d}"
        values["user_name"] = f"user-{index % 300}"
        values["document"] = template["document"].replace(template["id"], alert_id)
        return [values[column] for column in columns]

    insert = f"INSERT INTO alerts ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    for batch_start in range(0, alerts - existing, BATCH):
        database.execute("BEGIN")
        database.executemany(insert, (row(index) for index in range(batch_start, min(batch_start + BATCH, alerts - existing))))
        database.execute("COMMIT")
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = database.execute("SELECT count(*) FROM alerts").fetchone()[0]
    database.close()
    print(f"fixture: {total} alerts, {len(template['document']) + len(template['event'])} bytes of JSON each, "
          f"built in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
