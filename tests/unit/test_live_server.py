"""The test server closes every response, even when the client hangs up mid-request."""

from __future__ import annotations

import itertools
import socket
import struct
import time
from collections.abc import Iterator
from typing import Any

from tests.live_server import LiveServer

HANG_UPS = 20


class CountedBody:
    """A small response body that records, by serial number, that it was closed."""

    serials = itertools.count()

    def __init__(self, closed: set[int]) -> None:
        self.serial = next(self.serials)
        self.closed = closed

    def __iter__(self) -> Iterator[bytes]:
        yield b"x" * 1000

    def close(self) -> None:
        self.closed.add(self.serial)


def hang_up_after_first_bytes(port: int) -> None:
    """Read the start of the response, then reset the connection (as a browser tab may)."""
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        client.recv(100)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_responses_are_closed_when_clients_reset_the_connection() -> None:
    closed: set[int] = set()

    def app(environ: dict[str, Any], start_response: Any) -> CountedBody:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return CountedBody(closed)

    with LiveServer(app) as server:
        for _ in range(HANG_UPS):
            hang_up_after_first_bytes(server.server.server_port)
        deadline = time.monotonic() + 10
        while len(closed) < HANG_UPS and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(closed) == HANG_UPS
