#!/usr/bin/env python3
"""Writes the engine benchmark's NDJSON events.

Usage: engine_generate.py OUTPUT.ndjson COUNT SIZE

SIZE is "small" (about 600 bytes an event) or "large" (about 1.5 KB). One event in a hundred
is a registry event that the Port Forwarding Rule Addition query matches; nine in a hundred are
registry events on other keys (some near misses such as v4tov6); the rest are process and network
events. A fifth of the events spell their fields as dotted keys ("registry.path") instead of
nested objects, and some matching events hold registry.path as a one-element array. The output is
the same for the same arguments. The number of matching events is printed on standard output.
"""

import json
import random
import sys

HOSTS = [f"WKS-{n:03d}" for n in range(40)] + [f"SRV-DC{n:02d}" for n in range(4)]
USERS = ["alice", "bob", "carol", "svc_backup", "netadmin", "SYSTEM", "dave", "erin"]
PROCESSES = [
    ("C:\\Windows\\System32\\svchost.exe", "svchost.exe -k netsvcs -p -s Schedule"),
    ("C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE"),
    ("C:\\Program Files\\Mozilla Firefox\\firefox.exe", "\"C:\\Program Files\\Mozilla Firefox\\firefox.exe\" -contentproc"),
    ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -NoProfile -Command Get-Service"),
    ("C:\\Windows\\System32\\cmd.exe", "cmd.exe /c dir C:\\Users"),
]
OTHER_KEYS = [
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDrive",
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters\\NtpServer",
    "HKU\\S-1-5-21-1004336348-1177238915-682003330-1001\\Software\\Microsoft\\Office\\16.0\\Common\\Roaming",
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov6\\tcp\\0.0.0.0/8080",
    "HKLM\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters\\Interfaces\\{4d36e972}\\DhcpIPAddress",
]
MATCHING_KEYS = [
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/8443",
    "HKLM\\System\\ControlSet001\\services\\PortProxy\\v4tov4\\tcp\\10.0.0.5/3389",
    "hklm\\system\\currentcontrolset\\services\\portproxy\\v4tov4\\tcp\\127.0.0.1/80",
]


def flatten(prefix, value, into):
    if isinstance(value, dict):
        for key, inner in value.items():
            flatten(f"{prefix}.{key}" if prefix else key, inner, into)
    else:
        into[prefix] = value


def base_event(rng, index, large):
    executable, command_line = rng.choice(PROCESSES)
    event = {
        "@timestamp": f"2024-03-01T10:{index // 6000 % 60:02d}:{index // 100 % 60:02d}.{index % 1000:03d}Z",
        "event": {"id": f"bench-{index}", "kind": "event", "ingested": "2024-03-01T10:00:05Z"},
        "host": {"name": rng.choice(HOSTS), "os": {"type": "windows", "family": "windows"}},
        "user": {"name": rng.choice(USERS), "domain": "CORP"},
        "process": {
            "pid": rng.randrange(100, 65000),
            "name": executable.rsplit("\\", 1)[1],
            "executable": executable,
            "command_line": command_line,
        },
        "agent": {"type": "winlogbeat", "version": "8.12.0"},
        "ecs": {"version": "8.11.0"},
    }
    if large:
        event["process"]["args"] = command_line.split(" ")
        event["process"]["parent"] = {"pid": rng.randrange(100, 65000), "name": "services.exe",
                                      "executable": "C:\\Windows\\System32\\services.exe"}
        event["process"]["hash"] = {"sha256": "%064x" % rng.getrandbits(256), "md5": "%032x" % rng.getrandbits(128)}
        event["process"]["code_signature"] = {"subject_name": "Microsoft Windows", "trusted": True, "status": "trusted"}
        event["host"]["ip"] = [f"10.0.{rng.randrange(256)}.{rng.randrange(256)}", "fe80::1c2d:3e4f:5a6b:7c8d"]
        event["host"]["mac"] = ["00-50-56-%02X-%02X-%02X" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))]
        event["winlog"] = {"channel": "Microsoft-Windows-Sysmon/Operational", "provider_name": "Microsoft-Windows-Sysmon",
                           "computer_name": event["host"]["name"] + ".corp.example.com", "record_id": index,
                           "event_data": {"RuleName": "-", "UtcTime": "2024-03-01 10:00:00.000",
                                          "ProcessGuid": "{%08x-0000-0000-0000-000000000000}" % rng.getrandbits(32)}}
        event["tags"] = ["windows", "sysmon", "beats_input_codec_plain_applied"]
    return event


def make_event(rng, index, large):
    event = base_event(rng, index, large)
    roll = rng.randrange(100)
    matching = roll == 0
    if roll < 10:
        path = rng.choice(MATCHING_KEYS) if matching else rng.choice(OTHER_KEYS)
        event["event"]["category"] = ["registry"]
        event["event"]["type"] = ["change"]
        event["registry"] = {
            "path": path,
            "hive": "HKLM",
            "key": path.split("\\", 1)[1].rsplit("\\", 1)[0],
            "value": path.rsplit("\\", 1)[1],
            "data": {"strings": ["192.0.2.10/3389"], "type": "REG_SZ"},
        }
        if matching and rng.randrange(4) == 0:
            event["registry"]["path"] = [path]
    elif roll < 60:
        event["event"]["category"] = ["process"]
        event["event"]["type"] = ["start"]
    else:
        event["event"]["category"] = ["network"]
        event["event"]["type"] = ["connection"]
        event["source"] = {"ip": f"10.0.{rng.randrange(256)}.{rng.randrange(256)}", "port": rng.randrange(1024, 65535)}
        event["destination"] = {"ip": f"192.0.2.{rng.randrange(256)}", "port": 443}

    target = 1500 if large else 600
    text = json.dumps(event, separators=(",", ":"))
    if len(text) < target:
        event["message"] = "x" * (target - len(text) - 14)
    if rng.randrange(5) == 0:
        flat = {}
        flatten("", event, flat)
        event = flat
    return event, matching


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("small", "large"):
        sys.exit("usage: engine_generate.py OUTPUT.ndjson COUNT small|large")
    output, count, large = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "large"
    rng = random.Random(20240301 + int(large))
    matches = 0
    with open(output, "w", encoding="utf-8") as file:
        for index in range(count):
            event, matching = make_event(rng, index, large)
            matches += matching
            file.write(json.dumps(event, separators=(",", ":")))
            file.write("\n")
    print(matches)


if __name__ == "__main__":
    main()
