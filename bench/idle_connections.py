"""Opens N keep-alive connections to 127.0.0.1:PORT, sends one GET /health on each, reads the
response, and holds them idle. Prints "ready" once all are open, then holds them for HOLD_SECONDS
(default 50) and exits; bench/http.sh ends it sooner.

Usage: python3 bench/idle_connections.py PORT N [HOLD_SECONDS]
"""
import resource
import socket
import sys
import time


def read_response(connection):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            raise RuntimeError("the server closed a connection before responding")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(4096)
        if not chunk:
            raise RuntimeError("the server closed a connection mid-response")
        body += chunk
    return status


def main():
    port = int(sys.argv[1])
    count = int(sys.argv[2])
    hold_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 50.0

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 64), hard))

    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status = read_response(connection)
        if status != 200:
            raise RuntimeError(f"GET /health returned {status}")
        connections.append(connection)

    print("ready", flush=True)
    time.sleep(hold_seconds)
    for connection in connections:
        connection.close()


if __name__ == "__main__":
    main()
