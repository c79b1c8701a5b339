"""Per-story work in several processes: each story briefed once, in a fixed process, results in order.

:func:`run_parts` forks ``jobs`` processes (the parsed articles are shared
with them by the fork, not copied through a pipe) and gives process ``p``
the items ``p, p + jobs, p + 2 * jobs …`` in order. The split is fixed, so a
run gives the same briefs every time (the encoder's caches grow the same way
in each process); what each process made comes back through a pipe.
Processes are forked only where fork is safe and worth it (see :func:`usable`);
otherwise the items run here, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, MutableMapping
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar, cast

from ..text import cache, embed, resources

T = TypeVar("T")

#: Fewer items than this run in this process: starting processes costs more than it saves.
MIN_ITEMS = 8
#: What the forked processes run: set just before the fork, read by them, cleared after.
_WORK: tuple[Callable[[int, MutableMapping[str, float]], Any], int, int] | None = None


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
    work: Callable[[int, MutableMapping[str, float]], T],
    count: int,
    jobs: int,
    *,
    done: Callable[[], None] | None = None,
    timings: MutableMapping[str, float] | None = None,
) -> list[T]:
    """``[work(0, t), work(1, t), … work(count - 1, t)]``, in ``jobs`` processes when :func:`usable` allows.

    ``work(i, timings)`` adds the seconds it spends per stage to ``timings``;
    they are summed over the processes into ``timings`` here. ``done()`` is
    called as each item finishes.
    """
    processes = usable(jobs, count)
    seconds: dict[str, float] = {}
    if processes == 1:
        out = []
        for i in range(count):
            out.append(work(i, seconds))
            if done:
                done()
    else:
        out = _forked(work, count, processes, done, seconds)
    if timings is not None:
        for stage, value in seconds.items():
            timings[stage] = timings.get(stage, 0.0) + value
    return out


def _forked(
    work: Callable[[int, MutableMapping[str, float]], T],
    count: int,
    processes: int,
    done: Callable[[], None] | None,
    seconds: dict[str, float],
) -> list[T]:
    global _WORK  # noqa: PLW0603 - how a forked process finds its work without pickling it
    context = multiprocessing.get_context("fork")
    _WORK = (work, count, processes)
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
                if kind == "done":
                    if done:
                        done()
                elif kind == "error":
                    raise RuntimeError(f"a briefing process failed:\n{payload}")
                else:
                    part_results, part_seconds = payload
                    results.update(part_results)
                    for stage, value in part_seconds.items():
                        seconds[stage] = seconds.get(stage, 0.0) + value
                    open_.pop(reader).join()
    finally:
        for child, reader in children:
            reader.close()
            if child.is_alive():
                child.terminate()
                child.join()
    return [results[i] for i in range(count)]


def _after_fork() -> None:
    """What a forked process must not share with its parent: the cache's connection, this package's locks."""
    store = cache.active()
    if store is not None:
        store.after_fork()
    embed.reset_lock()
    resources.reset_lock()


def _child(part: int, writer: Connection) -> None:
    """In a forked process: this part's items, one message per item done, then all results."""
    assert _WORK is not None
    work, count, processes = _WORK
    _after_fork()
    torch = sys.modules.get("torch")
    if torch is not None:  # the encoder's threads would compete with the other processes for the cores
        torch.set_num_threads(1)
    try:
        results: dict[int, Any] = {}
        seconds: dict[str, float] = {}
        for i in range(part, count, processes):
            results[i] = work(i, seconds)
            writer.send(("done", None))
        writer.send(("results", (results, seconds)))
    except BaseException:  # whatever it is, the parent reports it
        writer.send(("error", traceback.format_exc()))
    finally:
        writer.close()
        os._exit(0)  # no cleanup of what the parent owns (its open files, its caches)
