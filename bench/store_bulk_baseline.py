"""Baseline for the insert rate: SQLite itself inserting the rows detectd stored, with the same
schema, WAL and synchronous=FULL, in one transaction.

Usage: store_bulk_baseline.py SOURCE_DATABASE TARGET_DATABASE RATE_FILE
Reads the detectd rate that store_inserts.py wrote to RATE_FILE and prints both and their ratio.
"""
import sqlite3
import sys
import time


def main():
    source, target = sys.argv[1], sys.argv[2]
    with sqlite3.connect(source) as reader:
        schema = [row[0] for row in reader.execute(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC")]
        columns = [row[1] for row in reader.execute("PRAGMA table_info(alerts)")]
        rows = reader.execute(f"SELECT {', '.join(columns)} FROM alerts").fetchall()

    writer = sqlite3.connect(target, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA synchronous = FULL")
    for statement in schema:
        writer.execute(statement)
    placeholders = ", ".join("?" for _ in columns)
    started = time.perf_counter()
    writer.execute("BEGIN IMMEDIATE")
    writer.executemany(f"INSERT INTO alerts ({', '.join(columns)}) VALUES ({placeholders})", rows)
    writer.execute("COMMIT")
    elapsed = time.perf_counter() - started
    writer.close()

    baseline = len(rows) / elapsed
    detectd = float(open(sys.argv[3]).read())
    print(f"sqlite3 {sqlite3.sqlite_version} bulk insert of the same {len(rows)} rows in one transaction: "
          f"{elapsed:.2f} s = {baseline:.0f} rows/s")
    print(f"ratio detectd / bulk insert: {detectd / baseline:.3f}")


if __name__ == "__main__":
    main()
