"""Batches built ahead of the writer, in a thread or a forked child: in order, complete, and
a failure or a lost child is reported instead of hanging or passing silently."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from complaints.demo import ahead

RANGES = [(start, start + 10) for start in range(0, 100, 10)]


def squares(start: int, stop: int) -> list[int]:
    return [n * n for n in range(start, stop)]


@pytest.mark.parametrize("in_process", [False, True])
def test_batches_come_in_order_and_equal_to_building_them_in_turn(in_process: bool) -> None:
    built = list(ahead.built_ahead(squares, RANGES, in_process=in_process))
    assert built == [squares(start, stop) for start, stop in RANGES]


def test_a_forked_child_builds_them_in_another_process() -> None:
    if not ahead.can_fork():
        pytest.skip("no fork on this platform")
    pids = set(ahead.built_ahead(lambda start, stop: os.getpid(), RANGES, in_process=True))
    assert len(pids) == 1
    assert os.getpid() not in pids


def failing(start: int, stop: int) -> list[int]:
    if start >= 30:
        raise ValueError("no such complaint")
    return squares(start, stop)


@pytest.mark.parametrize("in_process", [False, True])
def test_a_failure_while_building_reaches_the_consumer(in_process: bool) -> None:
    received: list[list[int]] = []
    with pytest.raises((ValueError, ahead.WorkerFailed), match="no such complaint"):
        received.extend(ahead.built_ahead(failing, RANGES, in_process=in_process))
    assert received == [squares(start, stop) for start, stop in RANGES[:3]]


def dies(start: int, stop: int) -> list[int]:
    if start >= 20:
        os.kill(os.getpid(), signal.SIGKILL)
    return squares(start, stop)


def test_a_child_that_dies_is_reported_not_waited_for() -> None:
    if not ahead.can_fork():
        pytest.skip("no fork on this platform")
    received: list[list[int]] = []
    with pytest.raises(ahead.WorkerFailed, match="ended unexpectedly"):
        received.extend(ahead.built_ahead(dies, RANGES, in_process=True))
    # What the child had built but not yet handed over when it died is lost with it.
    assert received == [squares(start, stop) for start, stop in RANGES[:len(received)]]
    assert len(received) <= 2


def test_stopping_early_ends_the_child() -> None:
    if not ahead.can_fork():
        pytest.skip("no fork on this platform")
    batches = ahead.built_ahead(lambda start, stop: os.getpid(), RANGES * 50, in_process=True)
    child = next(batches)
    batches.close()
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


_ORPHAN_SCRIPT = """
import os, sys, time
from complaints.demo import ahead
batches = ahead.built_ahead(lambda start, stop: os.getpid(), [(i, i + 1) for i in range(10**6)],
                            in_process=True)
print(next(batches), flush=True)
time.sleep(60)
"""


def _running(pid: int) -> bool:
    """Whether the process exists and has not ended (a zombie waiting to be reaped has)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_a_child_whose_parent_is_killed_ends_too() -> None:
    if not ahead.can_fork() or not os.path.isdir("/proc"):
        pytest.skip("needs fork and /proc")
    with subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True,
            cwd=Path(__file__).parents[2]) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert _running(child)
        parent.kill()
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(child)
