"""The sandbox's speed against a naive baseline and the floor, measured in one run.

    python -m sandbox.bench [--runs N] [--workers W] [--backend local|docker]... [--json]

(a) the sandbox, every protection on, through the batch API: a small Python program and a
    small C++ program, each run on the same input N times;
(b) the naive baseline: `subprocess.run([python, "-I", "-S", file])` per run, no isolation;
(c) the floor: raw posix_spawn of the same compiled C++ binary, no isolation.
All three use W workers. `python_speedup_vs_naive` is (a, Python) / (b);
`native_share_of_spawn` is (a, C++) / (c). With `--backend docker` (or both, `--backend local
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sandbox.backends import open_backend
from sandbox.backends.local import LocalBackend
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


def _sandbox_rate(backend: LocalBackend, program, stdin: Path, runs: int, workers: int) -> float:
    limits = Limits(time_s=2.0, memory_mib=256)
    jobs = [RunJob(program, stdin, limits, program_key=i) for i in range(runs)]
    started = time.perf_counter()
    for result in run_batch(backend, jobs, workers=workers):
        assert result.run is not None and result.output.strip() == b"3", result
    return _rate(runs, time.perf_counter() - started)


def _parallel(action, runs: int, workers: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda _: action(), range(runs)))
    return _rate(runs, time.perf_counter() - started)


def _naive_rate(source: Path, stdin: Path, runs: int, workers: int) -> float:
    def once() -> None:
        with open(stdin, "rb") as given:
            done = subprocess.run(
                [PYTHON, "-I", "-S", str(source)], stdin=given, capture_output=True, timeout=10
            )
        assert done.stdout.strip() == b"3"

    return _parallel(once, runs, workers)


def _spawn_rate(binary: Path, stdin: Path, runs: int, workers: int) -> float:
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

    return _parallel(once, runs, workers)


def _backend_rates(name: str, root: Path, stdin: Path, runs: int, workers: int) -> dict:
    """The sandbox's rates through one backend (its own compile, in its own toolchain)."""
    with open_backend(name, warn=False) as backend:
        builder = Builder(backend, root / "cache")
        python_program = builder.build(root / "sum.py", language_by_id("python3")).program
        cpp_build = builder.build(root / "sum.cpp", language_by_id("cpp"))
        assert python_program is not None and cpp_build.program is not None
        rebuilt = builder.build(root / "sum.cpp", language_by_id("cpp"))
        # Warm up: start the fork servers (or containers) and fill the page cache.
        _sandbox_rate(backend, python_program, stdin, workers * 4, workers)
        _sandbox_rate(backend, cpp_build.program, stdin, workers * 4, workers)
        return {
            "sandbox_python_runs_per_s": _sandbox_rate(
                backend, python_program, stdin, runs, workers
            ),
            "sandbox_cpp_runs_per_s": _sandbox_rate(
                backend, cpp_build.program, stdin, runs, workers
            ),
            "repeated_compile_cached": rebuilt.cached,
            "protections": [p.name for p in backend.protections() if p.active],
            "binary": cpp_build.program.directory / cpp_build.program.main,
        }


def measure(runs: int, workers: int, backends: tuple[str, ...] = ("local",)) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        stdin = root / "input"
        stdin.write_text("1 2\n")
        python_source = root / "sum.py"
        python_source.write_text(PYTHON_PROGRAM)
        cpp_source = root / "sum.cpp"
        cpp_source.write_text(CPP_PROGRAM)
        rates = {name: _backend_rates(name, root, stdin, runs, workers) for name in backends}
        first = rates[backends[0]]
        figures = {
            "runs": runs,
            "workers": workers,
            "sandbox_python_runs_per_s": first["sandbox_python_runs_per_s"],
            "sandbox_cpp_runs_per_s": first["sandbox_cpp_runs_per_s"],
            "naive_python_runs_per_s": _naive_rate(python_source, stdin, runs, workers),
            "spawn_cpp_runs_per_s": _spawn_rate(first["binary"], stdin, runs, workers),
            "repeated_compile_cached": first["repeated_compile_cached"],
            "protections": first["protections"],
            "backends": {
                name: {k: v for k, v in found.items() if k != "binary"}
                for name, found in rates.items()
            },
        }
    figures["python_speedup_vs_naive"] = (
        figures["sandbox_python_runs_per_s"] / figures["naive_python_runs_per_s"]
    )
    figures["native_share_of_spawn"] = (
        figures["sandbox_cpp_runs_per_s"] / figures["spawn_cpp_runs_per_s"]
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--backend", action="append", choices=("local", "docker"), help="repeatable; local"
    )
    options = parser.parse_args(argv)
    figures = measure(options.runs, options.workers, tuple(options.backend or ["local"]))
    if options.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{options.runs} runs of each, {options.workers} workers")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
