"""The sandbox's speed against a naive baseline and the floor, measured in one run.

    python -m sandbox.bench [--runs N] [--workers W] [--rounds R] [--backend local|docker]...
                            [--json]

(a) the sandbox, every protection on, through the batch API: a small Python program and a
    small C++ program, each run on the same input N times;
(b) the naive baseline: `subprocess.run([python, "-I", "-S", file])` per run, no isolation;
(c) the floor: raw posix_spawn of the same compiled C++ binary, no isolation.
All three use W workers. `python_speedup_vs_naive` is (a, Python) / (b);
`native_share_of_spawn` is (a, C++) / (c). The machine may be shared, and its load drifts
within seconds: so the measurements are interleaved, in R rounds of N / R runs of each kind,
and every figure is its runs over its total time; the load average is reported before and
after. With `--backend docker` (or both, `--backend local
--backend docker`, measured one after the other in the same run), (a) is also measured through
that backend; the first one named fills the figures above, every one is in `backends`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from sandbox.backends import open_backend
from sandbox.batch import RunJob, run_batch
from sandbox.build import Builder
from sandbox.languages import PYTHON, language_by_id
from sandbox.limits import Limits

PYTHON_PROGRAM = "a, b = map(int, input().split())\nprint(a + b)\n"
CPP_PROGRAM = """#include <cstdio>
int main() { long long a, b; if (scanf("%lld %lld", &a, &b) == 2) printf("%lld\\n", a + b); }
"""


def _rate(runs: int, seconds: float) -> float:
    return runs / seconds if seconds > 0 else float("inf")


def _sandbox_seconds(backend, program, stdin: Path, runs: int, workers: int) -> float:
    limits = Limits(time_s=2.0, memory_mib=256)
    jobs = [RunJob(program, stdin, limits, program_key=i) for i in range(runs)]
    started = time.perf_counter()
    for result in run_batch(backend, jobs, workers=workers):
        assert result.run is not None and result.output.strip() == b"3", result
    return time.perf_counter() - started


def _parallel_seconds(action: Callable[[], None], runs: int, workers: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda _: action(), range(runs)))
    return time.perf_counter() - started


def _naive_seconds(source: Path, stdin: Path, runs: int, workers: int) -> float:
    def once() -> None:
        with open(stdin, "rb") as given:
            done = subprocess.run(
                [PYTHON, "-I", "-S", str(source)], stdin=given, capture_output=True, timeout=10
            )
        assert done.stdout.strip() == b"3"

    return _parallel_seconds(once, runs, workers)


def _spawn_seconds(binary: Path, stdin: Path, runs: int, workers: int) -> float:
    def once() -> None:
        with open(stdin, "rb") as given, open(os.devnull, "wb") as sink:
            pid = os.posix_spawn(
                str(binary),
                [str(binary)],
                {},
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, given.fileno(), 0),
                    (os.POSIX_SPAWN_DUP2, sink.fileno(), 1),
                ],
            )
            os.waitpid(pid, 0)

    return _parallel_seconds(once, runs, workers)


def _ready_backend(name: str, root: Path, stack: ExitStack, stdin: Path, workers: int) -> dict:
    """A backend, open, with both programs built (its own compile, in its own toolchain)
    and its fork servers (or containers) started."""
    backend = stack.enter_context(open_backend(name, warn=False))
    builder = Builder(backend, root / f"cache-{name}")
    python_program = builder.build(root / "sum.py", language_by_id("python3")).program
    cpp_build = builder.build(root / "sum.cpp", language_by_id("cpp"))
    assert python_program is not None and cpp_build.program is not None
    rebuilt = builder.build(root / "sum.cpp", language_by_id("cpp"))
    # Warm up: start the fork servers (or containers) and fill the page cache.
    _sandbox_seconds(backend, python_program, stdin, workers * 4, workers)
    _sandbox_seconds(backend, cpp_build.program, stdin, workers * 4, workers)
    return {
        "backend": backend,
        "python": python_program,
        "cpp": cpp_build.program,
        "repeated_compile_cached": rebuilt.cached,
        "protections": [p.name for p in backend.protections() if p.active],
        "binary": cpp_build.program.directory / cpp_build.program.main,
    }


def measure(
    runs: int, workers: int, backends: tuple[str, ...] = ("local",), rounds: int = 10
) -> dict:
    rounds = max(1, min(rounds, runs))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        root = Path(folder)
        stdin = root / "input"
        stdin.write_text("1 2\n")
        python_source = root / "sum.py"
        python_source.write_text(PYTHON_PROGRAM)
        cpp_source = root / "sum.cpp"
        cpp_source.write_text(CPP_PROGRAM)
        ready = {name: _ready_backend(name, root, stack, stdin, workers) for name in backends}
        binary = ready[backends[0]]["binary"]
        seconds: dict[str, float] = {}
        done = 0
        for number in range(rounds):
            share = runs * (number + 1) // rounds - done
            done += share
            timed = {
                "naive": _naive_seconds(python_source, stdin, share, workers),
                "spawn": _spawn_seconds(binary, stdin, share, workers),
            }
            for name, found in ready.items():
                for kind in ("python", "cpp"):
                    timed[f"{name} {kind}"] = _sandbox_seconds(
                        found["backend"], found[kind], stdin, share, workers
                    )
            for key, spent in timed.items():
                seconds[key] = seconds.get(key, 0.0) + spent
        first = ready[backends[0]]
        figures = {
            "runs": runs,
            "workers": workers,
            "rounds": rounds,
            "sandbox_python_runs_per_s": _rate(runs, seconds[f"{backends[0]} python"]),
            "sandbox_cpp_runs_per_s": _rate(runs, seconds[f"{backends[0]} cpp"]),
            "naive_python_runs_per_s": _rate(runs, seconds["naive"]),
            "spawn_cpp_runs_per_s": _rate(runs, seconds["spawn"]),
            "repeated_compile_cached": first["repeated_compile_cached"],
            "protections": first["protections"],
            "backends": {
                name: {
                    "sandbox_python_runs_per_s": _rate(runs, seconds[f"{name} python"]),
                    "sandbox_cpp_runs_per_s": _rate(runs, seconds[f"{name} cpp"]),
                    "repeated_compile_cached": found["repeated_compile_cached"],
                    "protections": found["protections"],
                }
                for name, found in ready.items()
            },
        }
    figures["python_speedup_vs_naive"] = (
        figures["sandbox_python_runs_per_s"] / figures["naive_python_runs_per_s"]
    )
    figures["native_share_of_spawn"] = (
        figures["sandbox_cpp_runs_per_s"] / figures["spawn_cpp_runs_per_s"]
    )
    figures["load_average_before"] = list(load_before)
    figures["load_average_after"] = list(os.getloadavg())
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (10)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--backend", action="append", choices=("local", "docker"), help="repeatable; local"
    )
    options = parser.parse_args(argv)
    backends = tuple(options.backend or ["local"])
    figures = measure(options.runs, options.workers, backends, options.rounds)
    if options.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{options.runs} runs of each, {options.workers} workers, {figures['rounds']} rounds")
    rows = [
        ("sandbox, Python (fork server, all protections)", figures["sandbox_python_runs_per_s"]),
        ("naive subprocess.run(python -I -S)", figures["naive_python_runs_per_s"]),
        ("sandbox, C++ (fork server, all protections)", figures["sandbox_cpp_runs_per_s"]),
        ("raw posix_spawn of the binary", figures["spawn_cpp_runs_per_s"]),
    ]
    for backend, found in figures["backends"].items():
        rows.append((f"{backend} backend, Python", found["sandbox_python_runs_per_s"]))
        rows.append((f"{backend} backend, C++", found["sandbox_cpp_runs_per_s"]))
    for name, rate in rows:
        print(f"  {name:<50} {rate:8.0f} runs/s")
    print(f"  python_speedup_vs_naive  {figures['python_speedup_vs_naive']:.2f}")
    print(f"  native_share_of_spawn    {figures['native_share_of_spawn']:.2f}")
    print(f"  repeated compile cached  {figures['repeated_compile_cached']}")
    before, after = figures["load_average_before"], figures["load_average_after"]
    print(f"  load average             {before[0]:.2f} before, {after[0]:.2f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
