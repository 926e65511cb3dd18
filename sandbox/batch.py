"""Many programs x many inputs, spread over the cores, results streamed as they finish.

This is what the solver's filtering and clustering call. A program whose run fails (by the
caller's rule) can have its remaining runs skipped: filtering needs only the first failure.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sandbox.backends.local import LocalBackend, RunResult
from sandbox.build import Program
from sandbox.execute import execute
from sandbox.limits import Limits

OUTPUT_KEPT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RunJob:
    program: Program
    input: Path
    limits: Limits
    program_key: Hashable  # runs with the same key belong to one program (for early stop)
    tag: object = field(default=None, compare=False)  # the caller's own reference


@dataclass(frozen=True)
class JobResult:
    job: RunJob
    run: RunResult | None  # None: skipped, its program had already failed
    output: bytes = b""

    @property
    def skipped(self) -> bool:
        return self.run is None


class RunCache(Protocol):
    """Results of runs already done (a replay's store): looked up before a job runs, recorded
    as soon as it has run."""

    def lookup(self, job: RunJob) -> tuple[RunResult, bytes] | None: ...

    def record(self, job: RunJob, run: RunResult, output: bytes) -> None: ...


def run_batch(
    backend: LocalBackend,
    jobs: Iterable[RunJob],
    *,
    workers: int | None = None,
    stop_program_when: Callable[[JobResult], bool] | None = None,
    cache: RunCache | None = None,
) -> Iterator[JobResult]:
    """Runs every job, `workers` at a time; yields each result as soon as it is known.

    With `stop_program_when`, once a program's result satisfies it, that program's jobs not
    yet started are yielded as skipped. Stopping the iteration early cancels what is queued.
    With `cache`, jobs it knows are yielded first without running, and every run is recorded.
    """
    workers = workers or os.cpu_count() or 1
    pending: queue.Queue[RunJob | None] = queue.Queue()
    done: queue.Queue[JobResult | BaseException] = queue.Queue()
    stopped: set[Hashable] = set()
    cancelled = threading.Event()
    count = 0
    known: list[JobResult] = []
    for job in jobs:
        hit = cache.lookup(job) if cache is not None else None
        if hit is not None:
            known.append(JobResult(job, hit[0], hit[1]))
        else:
            pending.put(job)
            count += 1
    for _ in range(workers):
        pending.put(None)
    for item in known:
        if item.job.program_key in stopped:
            yield JobResult(item.job, None)
            continue
        if stop_program_when is not None and stop_program_when(item):
            stopped.add(item.job.program_key)
        yield item

    def work() -> None:
        with backend.private_dir() as private:
            stdout = private / "stdout"
            while not cancelled.is_set():
                job = pending.get()
                if job is None:
                    return
                if job.program_key in stopped:
                    done.put(JobResult(job, None))
                    continue
                try:
                    run = execute(
                        backend, job.program, stdin=job.input, stdout=stdout, limits=job.limits
                    )
                    with open(stdout, "rb") as produced:
                        done.put(JobResult(job, run, produced.read(OUTPUT_KEPT_BYTES)))
                except BaseException as error:  # reported to the caller, in its thread
                    done.put(error)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(count):
            item = done.get()
            if isinstance(item, BaseException):
                raise item
            if cache is not None and item.run is not None:
                cache.record(item.job, item.run, item.output)
            if stop_program_when is not None and item.run is not None and stop_program_when(item):
                stopped.add(item.job.program_key)
            yield item
    finally:
        cancelled.set()
        for thread in threads:
            thread.join()
