"""Convert blocks of whole lines in worker processes, writing the results in input order.

For JSON Lines and plain text every line converts on its own, so blocks can be
handed to ``jobs`` processes (the Python work of parsing, decoding and
re-encoding then scales with cores too, not only the Rust engine's). Workers
are spawned, not forked (a forked child would inherit the engine's thread pool
without its threads); at most ``2 * jobs`` blocks are in flight, so memory
stays bounded; the first error in input order stops the run.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

from tst.data.blocks import Block
from tst.data.converter import Counts


class BlockJob(Protocol):
    """A picklable recipe: `start` builds, in a worker, the function that converts one block."""

    def start(self) -> Callable[[Block], tuple[bytes, Counts]]: ...


_WORKER: Callable[[Block], tuple[bytes, Counts]] | None = None


def _init(job: BlockJob) -> None:
    global _WORKER
    _WORKER = job.start()


def _run(block: Block) -> tuple[bytes, Counts]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER(block)


def resolve_jobs(jobs: int | None) -> int:
    """``None``/0 means one job per CPU."""
    return jobs if jobs and jobs > 0 else (os.cpu_count() or 1)


def convert_blocks(blocks: Iterator[Block], job: BlockJob, jobs: int, write: Callable[[bytes], object]) -> Counts:
    """Convert every block with `job` in `jobs` processes (in this process when 1); write results in order."""
    total = Counts()
    if jobs <= 1:
        convert = job.start()
        for block in blocks:
            out, counts = convert(block)
            write(out)
            total.add(counts)
        return total
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init, initargs=(job,)) as pool:
        pending: list[Future[tuple[bytes, Counts]]] = []
        try:
            for block in blocks:
                pending.append(pool.submit(_run, block))
                if len(pending) >= 2 * jobs:
                    out, counts = pending.pop(0).result()
                    write(out)
                    total.add(counts)
            for future in pending:
                out, counts = future.result()
                write(out)
                total.add(counts)
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return total
