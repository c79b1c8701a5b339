"""Per-story work in several processes: each story briefed once, in a fixed process, results in order.

:func:`run_parts` forks ``jobs`` processes (what the parent holds is shared
with them by the fork, not copied through a pipe) and gives process ``p`` the
items ``p, p + jobs, p + 2 * jobs …``, in chunks (``plan``), in order. The
split is fixed, so a run gives the same results every time (the encoder's
caches grow the same way in each process); each chunk's results come back
through a pipe as soon as it is done, so a process holds one chunk's work at
a time. Processes are forked only where fork is safe and worth it (see
:func:`usable`); otherwise the chunks run here, one after the other.
"""

from __future__ import annotations

import ctypes
import functools
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, MutableMapping, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar, cast

from ..text import cache, embed, resources

T = TypeVar("T")
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
    if jobs < 2 or items < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    main = threading.current_thread()
    if any(t is not main and not t.daemon for t in threading.enumerate()):
        return 1
    return min(jobs, items // (MIN_ITEMS // 2))


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
    _after_fork()
    torch = sys.modules.get("torch")
    if torch is not None:  # the encoder's threads would compete with the other processes for the cores
        torch.set_num_threads(1)
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
