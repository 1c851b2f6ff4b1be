#!/usr/bin/env python3
"""Counts the events of an NDJSON file that an EQL query matches, with the Python `eql` package.

Usage: engine_reference.py FILE.ndjson QUERY

This is the engine benchmark's reference: `eql` 1.0.1 in its Elasticsearch syntax, events decoded
with `orjson`. `eql` reads only nested objects and takes the event type from one string, so a
small shim turns each event into that shape first: dotted keys ("registry.path") become nested
objects, the event type is the first `event.category` value that the query asks for, and a
one-element array becomes its element. Prints "events=N matches=M seconds=S", where S is the
thread's CPU time for the loop.
"""

import sys
import time

import eql
import orjson


def nest(document):
    """Returns the document with dotted keys expanded into nested objects."""
    result = {}
    for key, value in document.items():
        if isinstance(value, dict):
            value = nest(value)
        elif isinstance(value, list) and len(value) == 1:
            value = value[0]
        target = result
        parts = key.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


def main():
    path, query_text = sys.argv[1], sys.argv[2]
    with eql.parser.elasticsearch_syntax, eql.parser.ignore_missing_functions:
        query = eql.parse_query(query_text)
    category = query.first.event_type

    matches = 0

    def count(_output):
        nonlocal matches
        matches += 1

    engine = eql.PythonEngine()
    engine.add_query(query)
    engine.add_output_hook(count)

    with open(path, "rb") as file:
        lines = file.read().splitlines()

    start = time.thread_time()
    for line in lines:
        data = nest(orjson.loads(line))
        categories = data.get("event", {}).get("category", [])
        if not isinstance(categories, list):
            categories = [categories]
        event_type = category if category in categories else (categories[0] if categories else "generic")
        engine.stream_event(eql.Event(event_type, 0, data))
    seconds = time.thread_time() - start
    print(f"events={len(lines)} matches={matches} seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
