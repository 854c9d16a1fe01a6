"""Build the next batch of demo rows while the database writes the current one.

Building rows is Python work; writing them is mostly the database's. A thread overlaps the two
only while the driver has let go of the interpreter lock, so for large runs the batches are
built in a child process instead, on another core, and handed over pickled (a tenth of what
building them costs). The child is forked: it starts at once with the generator as it stands
and touches nothing but it (never the parent's database connections), and it is ended when
the consumer stops, whether it finished, failed or was interrupted; if the parent is killed
outright, the child notices within a poll and ends too. Where fork is not
available, or for small runs where starting a process costs more than it saves, a thread does
the same.

Either way the batches come out in order, exactly as building them one after the other would
give them (one builder, one sequence of random numbers).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

Batch = TypeVar("Batch")
Ranges = Sequence[tuple[int, int]]

DEPTH = 2  # batches built ahead and waiting
POLL_SECONDS = 0.5  # how often a consumer waiting on a child checks that it is still alive


class WorkerFailed(RuntimeError):
    """Building a batch failed in the child process, or the child went away."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def built_ahead(build: Callable[[int, int], Batch], ranges: Ranges, *, in_process: bool
                ) -> Generator[Batch, None, None]:
    """`build(start, stop)` for each range, in order, each built ahead of the consumer: in a
    forked child when `in_process` (and fork exists), else in a thread. Closing the generator
    stops the builder."""
    if in_process and can_fork():
        return _from_child(build, ranges)
    return _from_thread(build, ranges)


def _from_thread(build: Callable[[int, int], Batch], ranges: Ranges
                 ) -> Generator[Batch, None, None]:
    ready: queue.Queue[Batch | BaseException] = queue.Queue(maxsize=DEPTH - 1)
    stop = threading.Event()

    def offer(item: Batch | BaseException) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for start, end in ranges:
                if not offer(build(start, end)):
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            offer(exc)

    worker = threading.Thread(target=work, name="demo-data", daemon=True)
    worker.start()
    try:
        for _ in ranges:
            item = ready.get()
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _child(build: Callable[[int, int], Any], ranges: Ranges, ready: Any, parent: int) -> None:
    """In the child: build every batch and put it on the queue, waiting while it is full;
    end as soon as the parent is gone (killed, say), rather than wait for it for ever."""
    try:
        for start, end in ranges:
            if not _hand_over(ready, ("batch", build(start, end)), parent):
                return
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        _hand_over(ready, ("error", f"{type(exc).__name__}: {exc}"), parent)
    ready.close()
    ready.join_thread()  # the last batch is handed over before the child ends


def _hand_over(ready: Any, item: tuple[str, Any], parent: int) -> bool:
    """Put the item on the queue; False if the parent went away meanwhile."""
    while os.getppid() == parent:
        try:
            ready.put(item, timeout=POLL_SECONDS)
            return True
        except queue.Full:
            continue
    ready.cancel_join_thread()  # nobody will read what is left
    return False


def _from_child(build: Callable[[int, int], Batch], ranges: Ranges
                ) -> Generator[Batch, None, None]:
    context = multiprocessing.get_context("fork")
    ready = context.Queue(maxsize=DEPTH)
    child = context.Process(target=_child, args=(build, ranges, ready, os.getpid()),
                            name="demo-data", daemon=True)
    child.start()
    try:
        for _ in ranges:
            kind, item = _next(ready, child)
            if kind == "error":
                raise WorkerFailed(f"building demo data failed: {item}")
            yield item
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        ready.close()
        ready.cancel_join_thread()


def _next(ready: Any, child: Any) -> tuple[str, Any]:
    """The next item from the child; WorkerFailed if it ended without sending one."""
    while True:
        try:
            item: tuple[str, Any] = ready.get(timeout=POLL_SECONDS)
            return item
        except queue.Empty:
            if not child.is_alive():
                try:  # it may have put its last item just before ending
                    item = ready.get(timeout=POLL_SECONDS)
                    return item
                except queue.Empty:
                    raise WorkerFailed("the demo data worker process ended unexpectedly "
                                       f"(exit code {child.exitcode})") from None
