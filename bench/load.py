"""Serving an app under gunicorn for a benchmark, and loading it with concurrent HTTP clients.

Only 127.0.0.1 is ever loaded, and every run is bounded in time.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used so far (Linux /proc; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICK


def process_tree(pid: int) -> list[int]:
    """The process and its children (gunicorn's master and workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == pid:
                children.append(int(entry.name))
    return [pid, *children]


@dataclass
class Server:
    port: int
    pid: int


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int, ready_path: str) -> Iterator[Server]:
    """Serve `app` (module:variable) with `workers` sync workers; yields the server once a GET
    of `ready_path` has answered 200 as many times as there are workers."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--backlog", "2048", "--log-level", "error", app],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        answered = 0
        while answered < workers:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"gunicorn {app} did not answer on {ready_path}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", ready_path)
                answered += connection.getresponse().status == 200
                connection.close()
            except OSError:
                time.sleep(0.2)
        yield Server(port, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class LoadResult:
    seconds: float
    statuses: Counter[int] = field(default_factory=Counter)
    # Every answer, warm-up and stragglers included (to check what was stored).
    all_statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)
    # CPU seconds each probe measured over the counted window.
    cpu: dict[str, float] = field(default_factory=dict)

    def cpu_ms_per_answer(self) -> dict[str, float]:
        return {name: seconds * 1000 / max(self.done, 1) for name, seconds in self.cpu.items()}

    @property
    def done(self) -> int:
        return sum(self.statuses.values())

    @property
    def per_second(self) -> float:
        return self.statuses.get(201, 0) / self.seconds

    def percentile_ms(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")


def post_json(port: int, path: str, body: bytes) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=body,
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port: int, path: str, next_body: Callable[[], bytes], *, clients: int,
         seconds: float, warmup: float = 3.0, keep_answers: bool = False,
         cpu_probes: dict[str, Callable[[], float]] | None = None) -> LoadResult:
    """`clients` threads POST bodies back to back; requests that finish during the `seconds`
    after `warmup` are counted (those of the warm-up are made but not counted). Each of
    `cpu_probes` (CPU seconds so far of some processes) is read at the window's start and end;
    the load generator's own CPU is measured as "clients"."""
    lock = threading.Lock()
    start = time.monotonic() + warmup
    stop = start + seconds
    result = LoadResult(seconds)
    probes = {**(cpu_probes or {}), "clients": time.process_time}

    def measure_cpu() -> None:
        time.sleep(max(0.0, start - time.monotonic()))
        before = {name: probe() for name, probe in probes.items()}
        time.sleep(max(0.0, stop - time.monotonic()))
        result.cpu = {name: probe() - before[name] for name, probe in probes.items()}

    meter = threading.Thread(target=measure_cpu, daemon=True)
    meter.start()

    def client() -> None:
        while True:
            with lock:
                body = next_body()
            began = time.monotonic()
            if began >= stop:
                return
            try:
                status, raw = post_json(port, path, body)
            except OSError:
                status, raw = 599, b""  # counted as a failure, never a success
            ended = time.monotonic()
            with lock:
                result.all_statuses[status] += 1
            if start <= ended < stop:
                with lock:
                    result.statuses[status] += 1
                    result.latencies.append(ended - began)
                    if keep_answers and status == 201:
                        result.answers.append(json.loads(raw))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=warmup + seconds + 120)
    meter.join(timeout=5)
    return result
