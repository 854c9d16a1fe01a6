"""Batches built ahead of the writer, in a thread or a forked child: in order, complete, and
a failure or a lost child is reported instead of hanging or passing silently."""

from __future__ import annotations

import os
import signal

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
