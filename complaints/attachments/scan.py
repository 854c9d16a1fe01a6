"""Asking ClamAV's daemon (clamd) about a file over its INSTREAM protocol, by Unix socket or
TCP. Used only when CLAMD_SOCKET or CLAMD_HOST is set; a daemon that does not answer makes the
file wait (ScanUnavailable), it never lets it through unscanned."""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

CHUNK = 64 * 1024


class ScanUnavailable(Exception):  # noqa: N818
    """The daemon could not be reached or did not give a verdict."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str | None  # the name of what was found, when not clean
    answer: str  # the daemon's own words


@dataclass(frozen=True)
class Scanner:
    socket_path: str = ""
    host: str = ""
    port: int = 3310
    timeout: float = 60.0

    @property
    def configured(self) -> bool:
        return bool(self.socket_path or self.host)

    def _connect(self) -> socket.socket:
        if self.socket_path:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.settimeout(self.timeout)
                conn.connect(self.socket_path)
            except OSError:
                conn.close()
                raise
            return conn
        return socket.create_connection((self.host, self.port), timeout=self.timeout)

    def _ask(self, command: bytes, payload: bytes | None = None) -> str:
        try:
            with self._connect() as conn:
                conn.sendall(b"z" + command + b"\0")
                if payload is not None:
                    for start in range(0, len(payload), CHUNK):
                        chunk = payload[start:start + CHUNK]
                        conn.sendall(struct.pack("!L", len(chunk)) + chunk)
                    conn.sendall(struct.pack("!L", 0))
                answer = b""
                while not answer.endswith(b"\0"):
                    part = conn.recv(4096)
                    if not part:
                        break
                    answer += part
        except OSError as exc:
            raise ScanUnavailable(str(exc)) from exc
        return answer.rstrip(b"\0").decode("utf-8", "replace").strip()

    def ping(self) -> bool:
        try:
            return self._ask(b"PING") == "PONG"
        except ScanUnavailable:
            return False

    def scan(self, data: bytes) -> Verdict:
        """The daemon's verdict on `data`; ScanUnavailable when it gives none."""
        answer = self._ask(b"INSTREAM", data)
        if answer.endswith("FOUND"):
            name = answer.removeprefix("stream:").strip().removesuffix("FOUND").strip()
            return Verdict(False, name[:150] or "unknown", answer[:200])
        if answer.endswith(": OK") or answer == "stream: OK":
            return Verdict(True, None, answer[:200])
        raise ScanUnavailable(answer[:200] or "no answer")
