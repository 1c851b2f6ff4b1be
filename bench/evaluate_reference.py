"""Baseline for bench/evaluate.sh: the same rule evaluated by Python `eql` over the same NDJSON.

Reads the file, parses each line with orjson and runs the rule's query with eql's Python
engine, which walks nested objects only; events here are nested, as the corpus is.
Prints the number of events, matches and the events per second.
"""
import sys
import time

import eql
import orjson

QUERY = 'registry where registry.path : "HKLM\\\\SYSTEM\\\\*ControlSet*\\\\Services\\\\PortProxy\\\\v4tov4\\\\*"'


def main() -> None:
    lines = open(sys.argv[1], "rb").read().splitlines()
    matches = []
    with eql.parser.elasticsearch_syntax, eql.parser.ignore_missing_functions:
        query = eql.parse_query(QUERY)
    engine = eql.PythonEngine()
    engine.add_query(query)
    engine.add_output_hook(lambda result: matches.extend(result.events))
    started = time.perf_counter()
    for line in lines:
        document = orjson.loads(line)
        categories = (document.get("event") or {}).get("category") or []
        if isinstance(categories, str):
            categories = [categories]
        event_type = "registry" if "registry" in categories else "generic"
        engine.stream_event(eql.Event(event_type, 0, document))
    elapsed = time.perf_counter() - started
    print(f"{len(lines)} {len(matches)} {len(lines) / elapsed:.0f}")


if __name__ == "__main__":
    main()
