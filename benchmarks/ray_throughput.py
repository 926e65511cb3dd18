"""Candidate runs per second through the local and the Ray executor, and what a Ray task costs.

    python benchmarks/ray_throughput.py --ray-address HOST:PORT [--runs 600] [--json]

The same jobs (a bundled problem's accepted C++ and Python programs on its hidden inputs, no
cache, no early stop) go through the local executor (1 and 2 threads) and the Ray executor of
the cluster at the address. Then the cost of a task itself: empty tasks one after another (the
driver's submit, scheduling, the reply's round trip), against the time a task spends running.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.batch import RunJob
from sandbox.build import Builder
from sandbox.cache import default_cache_dir
from sandbox.languages import language_by_id
from sandbox.limits import Limits
from solver.executor import LOCAL, RayExecutor

REPO = Path(__file__).resolve().parent.parent


def jobs_for(backend: LocalBackend, problem: Path, runs: int) -> list[RunJob]:
    builder = Builder(backend, default_cache_dir())
    programs = []
    for source in sorted((problem / "submissions" / "accepted").iterdir()):
        language = language_by_id({".cpp": "cpp", ".py": "python3"}[source.suffix])
        built = builder.build(source, language)
        assert built.program is not None, built.message
        programs.append(built.program)
    inputs = sorted((problem / "data" / "secret").glob("*.in"))
    limits = Limits(time_s=2.0, memory_mib=1024)
    jobs = []
    rounds = 0
    while len(jobs) < runs:
        # As the pipeline gives them: one program's runs share a key (a Ray task batches them).
        for number, program in enumerate(programs):
            for path in inputs:
                jobs.append(RunJob(program, path, limits, program_key=(number, rounds)))
        rounds += 1
    return jobs[:runs]


def measure(executor: object, backend: LocalBackend, jobs: list[RunJob], workers: int) -> float:
    started = time.monotonic()
    done = sum(1 for _ in executor.run_batch(backend, jobs, workers=workers))  # type: ignore[attr-defined]
    assert done == len(jobs)
    return len(jobs) / (time.monotonic() - started)


def empty_task_ms(executor: RayExecutor, count: int) -> float:
    """Round trip of a task that runs nothing, one at a time: Ray's own cost per task."""
    ray = executor._ray
    ray.get(
        executor._task.remote("local", frozenset(), {}, {}, [])
    )  # warm: the worker's backend is open
    started = time.monotonic()
    for _ in range(count):
        ray.get(executor._task.remote("local", frozenset(), {}, {}, []))
    return 1000 * (time.monotonic() - started) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ray-address", required=True)
    parser.add_argument("--problem", type=Path, default=REPO / "problems" / "printshop")
    parser.add_argument("--runs", type=int, default=600)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict[str, object] = {"load_average_before": os.getloadavg()}
    with LocalBackend(warn=False) as backend:
        jobs = jobs_for(backend, args.problem, args.runs)
        figures["runs"] = len(jobs)
        measure(LOCAL, backend, jobs[:20], 1)  # warm the fork servers
        figures["local_1_thread_runs_per_s"] = round(measure(LOCAL, backend, jobs, 1), 1)
        figures["local_2_threads_runs_per_s"] = round(measure(LOCAL, backend, jobs, 2), 1)
        executor = RayExecutor(args.ray_address)
        try:
            figures["ray_cpus"] = executor.cpus()
            measure(executor, backend, jobs[:40], 1)  # warm: workers started, backends open
            executor.stats = type(executor.stats)()
            figures["ray_runs_per_s"] = round(measure(executor, backend, jobs, 1), 1)
            figures["ray_tasks"] = executor.stats.to_json()
            figures["ray_empty_task_round_trip_ms"] = round(empty_task_ms(executor, 100), 2)
        finally:
            executor.close()
    figures["load_average_after"] = os.getloadavg()
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, value in figures.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
