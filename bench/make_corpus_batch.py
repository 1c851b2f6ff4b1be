"""Write an NDJSON batch of N events drawn round-robin from the real-event corpus.

Each copy gets its own event.id so that matching copies become distinct alerts, as a stream
of new events would. Usage: make_corpus_batch.py CORPUS_DIR COUNT OUTPUT
"""
import json
import pathlib
import sys


def main() -> None:
    corpus = pathlib.Path(sys.argv[1])
    count = int(sys.argv[2])
    output = pathlib.Path(sys.argv[3])
    events = []
    for path in sorted(corpus.glob("*.ndjson")):
        events.extend(json.loads(line) for line in path.read_text().splitlines() if line.strip())
    with output.open("w") as out:
        for number in range(count):
            event = json.loads(json.dumps(events[number % len(events)]))
            if isinstance(event.get("event"), dict):
                event["event"]["id"] = f"bench-{number}"
            out.write(json.dumps(event, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
