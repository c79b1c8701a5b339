"""Work in several processes, results in order: stories briefed, articles read and cleaned.

:func:`run_parts` forks ``jobs`` processes (what the parent holds is shared
with them by the fork, not copied through a pipe) and gives process ``p`` the
items ``p, p + jobs, p + 2 * jobs …``, in chunks (``plan``), in order. The
split is fixed, so a run gives the same results every time (the encoder's
caches grow the same way in each process); each chunk's results come back
through a pipe as soon as it is done, so a process holds one chunk's work at
a time. :func:`ordered_map` is the streaming kind, for items that are not all
known at the start (the inputs of a run, read a batch at a time): a few items
in flight per process, results given back in the items' order. Processes are
forked only where fork is safe and worth it (see :func:`usable`); otherwise the
work runs here, one item after the other.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import multiprocessing
import os
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar, cast

from . import cache, embed, resources

T = TypeVar("T")
A = TypeVar("A")
#: ``work(chunk, seconds)``: the results of the items of ``chunk``, in order; it adds the seconds it
#: spends per stage to ``seconds``.
Work = Callable[[Sequence[int], MutableMapping[str, float]], Sequence[T]]
#: ``plan(share)``: a process's items cut into chunks, in order.
Plan = Callable[[Sequence[int]], list[list[int]]]

#: Fewer items than this run in this process: starting processes costs more than it saves.
MIN_ITEMS = 8
#: What the forked processes run: set just before the fork, read by them, cleared after.
_WORK: tuple[Work[Any], Plan, int, int] | None = None


def one_by_one(share: Sequence[int]) -> list[list[int]]:
    """The plan of one item per chunk."""
    return [[i] for i in share]


def usable(jobs: int, items: int) -> int:
    """How many processes to use for ``items`` items: 1 unless forking is safe and worth it.

    A fork copies the calling thread alone, and a lock another thread holds
    stays held in the copy: processes are forked only when every other thread
    is a daemon (a progress bar's refresh, a monitor), not a worker that may be
    inside this package. A program that calls :func:`~storybrief.brief` from
    several threads at once should pass ``jobs=1``.
    """
    if jobs < 2 or items < MIN_ITEMS or not fork_safe():
        return 1
    return min(jobs, items // (MIN_ITEMS // 2))


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity, where the system says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def fork_safe() -> bool:
    """Whether this process may fork: fork exists here, and every thread but this one is a daemon."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    main = threading.current_thread()
    return not any(t is not main and not t.daemon for t in threading.enumerate())


#: Items of :func:`ordered_map` in flight per process: enough to keep each busy, few enough to hold little.
AHEAD = 2


def ordered_map(function: Callable[[A], T], items: Iterable[A], jobs: int) -> Iterator[T]:
    """``function(item)`` for each item, in the items' order, in ``jobs`` forked processes when forking is safe.

    ``function`` and the items go to the processes by pickle (``function``
    must be a module-level function or a ``functools.partial`` of one). The
    items are taken from ``items`` as results are given back, at most
    ``AHEAD * jobs`` ahead of them, so a stream larger than memory stays a
    stream. If a process dies (the pool is broken), what was in flight is
    made here, one item after the other, and so is the rest.
    """
    if jobs < 2 or not fork_safe():
        yield from map(function, items)
        return
    stream = iter(items)
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_in_worker)
    flight: deque[tuple[A, Future[T]]] = deque()
    try:
        for item in stream:
            try:
                flight.append((item, pool.submit(function, item)))
            except BrokenProcessPool:
                stream = itertools.chain([item], stream)
                raise
            if len(flight) >= AHEAD * jobs:
                yield _first(flight)
        while flight:
            yield _first(flight)
    except BrokenProcessPool:
        while flight:
            yield function(flight.popleft()[0])
        yield from map(function, stream)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _first(flight: deque[tuple[A, Future[T]]]) -> T:
    """The result of the first item in flight, which leaves the queue only once it has one."""
    result = flight[0][1].result()
    flight.popleft()
    return result


def _in_worker() -> None:
    """First thing in a forked process: what it must not share with its parent."""
    _after_fork()
    torch = sys.modules.get("torch")
    if torch is not None:  # the encoder's threads would compete with the other processes for the cores
        torch.set_num_threads(1)


def run_parts(
    work: Work[T],
    count: int,
    jobs: int,
    *,
    plan: Plan = one_by_one,
    done: Callable[[Sequence[int]], None] | None = None,
    timings: MutableMapping[str, float] | None = None,
) -> list[T]:
    """The results of items ``0 … count - 1``, in order, made in ``jobs`` processes when :func:`usable` allows.

    Each process's share is cut by ``plan`` into chunks that ``work`` makes
    at once; ``done(chunk)`` is called here as each chunk is done. The seconds
    ``work`` counts per stage are summed over the processes into ``timings``.
    """
    processes = usable(jobs, count)
    seconds: dict[str, float] = {}
    if processes == 1:
        out: list[T] = []
        for chunk in plan(range(count)):
            out.extend(work(chunk, seconds))
            release_memory()
            if done:
                done(chunk)
    else:
        out = _forked(work, plan, count, processes, done, seconds)
    if timings is not None:
        for stage, value in seconds.items():
            timings[stage] = timings.get(stage, 0.0) + value
    return out


def _forked(
    work: Work[T],
    plan: Plan,
    count: int,
    processes: int,
    done: Callable[[Sequence[int]], None] | None,
    seconds: dict[str, float],
) -> list[T]:
    global _WORK  # noqa: PLW0603 - how a forked process finds its work without pickling it
    context = multiprocessing.get_context("fork")
    _WORK = (work, plan, count, processes)
    children: list[tuple[Any, Connection]] = []
    try:
        for part in range(processes):
            reader, writer = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(part, writer), daemon=True)
            child.start()
            writer.close()
            children.append((child, reader))
    finally:
        _WORK = None
    results: dict[int, T] = {}
    open_ = {reader: child for child, reader in children}
    try:
        while open_:
            for ready in wait(list(open_)):
                reader = cast(Connection, ready)
                try:
                    kind, payload = reader.recv()
                except EOFError:
                    child = open_.pop(reader)
                    child.join()
                    raise RuntimeError(f"a briefing process ended early (exit code {child.exitcode})") from None
                if kind == "chunk":
                    chunk, made = payload
                    results.update(zip(chunk, made, strict=True))
                    if done:
                        done(chunk)
                elif kind == "error":
                    raise RuntimeError(f"a briefing process failed:\n{payload}")
                else:
                    for stage, value in payload.items():
                        seconds[stage] = seconds.get(stage, 0.0) + value
                    open_.pop(reader).join()
    finally:
        for child, reader in children:
            reader.close()
            if child.is_alive():
                child.terminate()
                child.join()
    return [results[i] for i in range(count)]


@functools.cache
def _libc() -> Any:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return None


def release_memory() -> None:
    """Give the heap a chunk's work freed back to the system (glibc keeps it otherwise, and a process
    that parses batch after batch would hold its largest batch's memory many times over)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def _after_fork() -> None:
    """What a forked process must not share with its parent: the cache's connection, this package's locks."""
    store = cache.active()
    if store is not None:
        store.after_fork()
    embed.reset_lock()
    resources.reset_lock()


def _child(part: int, writer: Connection) -> None:
    """In a forked process: this part's chunks, each one's results sent when done, then the seconds spent."""
    assert _WORK is not None
    work, plan, count, processes = _WORK
    _in_worker()
    try:
        seconds: dict[str, float] = {}
        for chunk in plan(range(part, count, processes)):
            writer.send(("chunk", (chunk, list(work(chunk, seconds)))))
            release_memory()
        writer.send(("seconds", seconds))
    except BaseException:  # whatever it is, the parent reports it
        writer.send(("error", traceback.format_exc()))
    finally:
        writer.close()
        os._exit(0)  # no cleanup of what the parent owns (its open files, its caches)
