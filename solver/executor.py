"""Where candidate runs execute: in this process (`local`) or as Ray tasks on a cluster (`ray`).

Both executors have `sandbox.batch.run_batch`'s signature, so the pipeline's filtering and
clustering stages take either. The local executor is `run_batch` itself. The Ray executor ships
batches of one program's runs to Ray tasks; each task opens the same sandbox backend on its node
(the programs run isolated there exactly as they do here), runs its batch and returns the
results. The driver alone looks runs up in the store and records them, so a replay resumes after
a crash exactly as with the local executor, and a task that Ray retries after its worker died is
recorded once: only its one returned result reaches the driver.

What stays on the driver: compiling (the compiled program's files are shipped; nodes must run
the same OS image), custom checker calls, input generation, hidden-test judgements, and model
sampling. Sampling is asynchronous HTTP from the driver (solver/sampler.py), so its concurrency
limit is the one limit for the endpoint whatever the size of the cluster.

Early stop (`stop_program_when`) stays exact: a program has at most one batch in flight, a task
ends its batch at a run that timed out or crashed (the rest goes back to the driver, which sends
it again unless its rule stopped the program), and once a result stops a program, its remaining
runs are reported as skipped, as run_batch reports the runs it had not started.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import socket
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from sandbox.backends import open_backend
from sandbox.backends.local import LocalBackend
from sandbox.batch import OUTPUT_KEPT_BYTES, JobResult, RunCache, RunJob, run_batch
from sandbox.build import Program
from sandbox.cache import default_cache_dir
from sandbox.errors import IsolationError
from sandbox.execute import execute
from sandbox.judge import run_verdict
from sandbox.languages import language_by_id
from sandbox.limits import Limits
from solver.errors import SolverError

EXECUTORS = ("local", "ray")
MAX_BATCH = 32  # runs per Ray task at most: a task costs ~1 ms to schedule, a run 1-5 ms
TASK_RETRIES = 5  # a task whose worker process or node dies is run again, up to this often
CONNECT_TIMEOUT_S = 5.0
# A Ray instance this process starts itself (no --ray-address): small, no dashboard.
LOCAL_OBJECT_STORE_BYTES = 300 * 1024 * 1024


class ExecutorError(SolverError):
    """The executor cannot start (Ray missing, no cluster at the address) or lost its tasks."""


class Executor(Protocol):
    name: str

    def run_batch(
        self,
        backend: LocalBackend,
        jobs: Iterable[RunJob],
        *,
        workers: int | None = None,
        stop_program_when: Callable[[JobResult], bool] | None = None,
        cache: RunCache | None = None,
    ) -> Iterator[JobResult]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """Today's in-process run_batch: every run on this machine's cores."""

    name = "local"

    def run_batch(
        self,
        backend: LocalBackend,
        jobs: Iterable[RunJob],
        *,
        workers: int | None = None,
        stop_program_when: Callable[[JobResult], bool] | None = None,
        cache: RunCache | None = None,
    ) -> Iterator[JobResult]:
        return run_batch(
            backend, jobs, workers=workers, stop_program_when=stop_program_when, cache=cache
        )

    def close(self) -> None:
        pass


LOCAL = LocalExecutor()


@dataclass
class RayStats:
    """What the Ray executor did, for the closing note: tasks, runs, and where time went."""

    tasks: int = 0
    runs: int = 0
    run_seconds: float = 0.0  # inside the tasks, running the sandbox (summed over tasks)
    task_seconds: float = 0.0  # inside the tasks, everything (materializing files too)
    round_trip_seconds: float = 0.0  # submit to result on the driver (summed over tasks)
    workers: set[tuple[str, int]] = field(default_factory=set)  # (node, pid) seen

    def to_json(self) -> dict[str, Any]:
        per_task = (lambda s: round(1000 * s / self.tasks, 2)) if self.tasks else (lambda s: 0.0)
        return {
            "tasks": self.tasks,
            "runs": self.runs,
            "run_ms_per_run": round(1000 * self.run_seconds / self.runs, 2) if self.runs else 0.0,
            "worker_processes": len(self.workers),
            "run_ms_per_task": per_task(self.run_seconds),
            "task_ms_per_task": per_task(self.task_seconds),
            "round_trip_ms_per_task": per_task(self.round_trip_seconds),
        }


# The worker's side ----------------------------------------------------------------------------
# Runs in Ray worker processes: a backend per process, opened at the first task and kept (its
# fork servers stay warm), closed when the worker exits.

_worker_backends: dict[str, LocalBackend] = {}
_worker_lock = threading.Lock()


def _worker_backend(name: str) -> LocalBackend:
    with _worker_lock:
        backend = _worker_backends.get(name)
        if backend is None:
            backend = open_backend(name, warn=False)
            _worker_backends[name] = backend
            atexit.register(backend.close)
        return backend


def _node_dir() -> Path:
    """This node's copies of shipped programs and inputs, beside its compile cache (content
    keyed: a later task or replay that needs the same files does not fetch them again)."""
    folder = default_cache_dir() / "ray-node"
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    return folder


def _materialize(target: Path, files: list[tuple[str, int, bytes]]) -> None:
    """Writes files once per node: into a fresh folder, renamed into place (atomic; a worker
    that loses the race drops its copy)."""
    if target.exists():
        return
    target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".staging-"))
    staging.chmod(0o755)
    for name, mode, data in files:
        path = staging / name
        path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(mode)
    try:
        staging.rename(target)
    except OSError:  # another worker of this node put it there first
        for path in sorted(staging.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        staging.rmdir()


@dataclass(frozen=True)
class _Job:
    index: int  # in the driver's job list
    program: str  # digest of the program's files
    language: str
    main: str
    input: str  # digest of the input's bytes
    limits: Limits


def _run_jobs(
    backend_name: str,
    required: frozenset[str],
    programs: dict[str, Any],
    inputs: dict[str, Any],
    jobs: list[_Job],
) -> dict[str, Any]:
    """A Ray task: the batch's programs and inputs are put on this node (fetched from the object
    store only when the node lacks them), then each job runs in this node's sandbox. A node whose
    sandbox lacks a protection that `required` names (the driver's) runs nothing."""
    import ray

    started = time.monotonic()
    backend = _worker_backend(backend_name)
    active = {p.name for p in backend.protections() if p.active}
    if not required <= active:
        missing = ", ".join(sorted(required - active))
        raise IsolationError(
            f"Ray node {socket.gethostname()}: its sandbox lacks what this machine's has "
            f"({missing}): no candidate runs there; see `solver doctor --ray-address`"
        )
    root = _node_dir()
    for digest, ref in programs.items():
        if not (root / "programs" / digest).exists():
            _materialize(root / "programs" / digest, ray.get(ref))
    for digest, ref in inputs.items():
        if not (root / "inputs" / digest).exists():
            _materialize(root / "inputs" / digest, [("input", 0o644, ray.get(ref))])
    results = []
    ran = time.monotonic()
    with backend.private_dir() as private:
        stdout = private / "stdout"
        for job in jobs:
            program = Program(
                language_by_id(job.language), root / "programs" / job.program, job.main
            )
            run = execute(
                backend,
                program,
                stdin=root / "inputs" / job.input / "input",
                stdout=stdout,
                limits=job.limits,
            )
            with open(stdout, "rb") as produced:
                output = produced.read(OUTPUT_KEPT_BYTES)
            # The worker's file is gone when the task ends: the output travels as bytes.
            results.append((job.index, replace(run, stdout_path=Path("/dev/null")), output))
            if run_verdict(run, job.limits) is not None:
                # Timed out or crashed: the driver's early-stop rule may skip this program's
                # other runs (a timeout costs seconds), so the rest of the batch goes back to it.
                break
    finished = time.monotonic()
    return {
        "results": results,
        "run_s": finished - ran,
        "task_s": finished - started,
        "worker": (socket.gethostname(), os.getpid()),
    }


def _doctor_task(backend_name: str) -> dict[str, Any]:
    """A Ray task pinned to one node: its sandbox's protections and one real sandboxed run."""
    backend = _worker_backend(backend_name)
    protections = [(p.name, p.active, p.detail) for p in backend.protections()]
    root = _node_dir()
    program_dir = root / "doctor"
    _materialize(program_dir, [("main.py", 0o644, b"print(6 * 7)\n")])
    empty = root / "doctor-input"
    empty.touch(mode=0o644)
    try:
        with backend.private_dir() as private:
            program = Program(language_by_id("python3"), program_dir, "main.py")
            run = execute(
                backend, program, stdin=empty, stdout=private / "out", limits=Limits(time_s=5.0)
            )
            output = (private / "out").read_bytes()
        healthy = run.exit_code == 0 and output.strip() == b"42"
        note = "a sandboxed run printed 42" if healthy else f"sandboxed run failed: {run}"
    except Exception as error:  # reported per node, not raised: the doctor lists every node
        healthy, note = False, f"sandboxed run failed: {type(error).__name__}: {error}"
    return {
        "host": socket.gethostname(),
        "healthy": healthy,
        "note": note,
        "protections": protections,
    }


# The driver's side ----------------------------------------------------------------------------


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ExecutorError(
            "--executor ray needs the ray package: pip install 'ray>=2.40'"
        ) from None
    return ray


def _resolve_address(address: str) -> str:
    """`auto`: the cluster `ray start` left on this machine (or RAY_ADDRESS); checked with a
    plain TCP connect first, because ray.init waits minutes for an address that never answers."""
    if address == "auto":
        address = os.environ.get("RAY_ADDRESS", "")
        if not address:
            current = Path(tempfile.gettempdir()) / "ray" / "ray_current_cluster"
            address = current.read_text().strip() if current.exists() else ""
        if not address:
            raise ExecutorError(
                "--ray-address auto: no Ray cluster runs on this machine (start one with "
                "`ray start --head`, or give its address)"
            )
    if address.startswith("ray://"):
        return address  # Ray Client: ray.init reports its own errors quickly
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ExecutorError(f"--ray-address {address!r}: expected HOST:PORT, ray://... or auto")
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as error:
        raise ExecutorError(
            f"no Ray cluster answers at {address} ({error.strerror or error}); start one with "
            "`ray start --head` or check the address"
        ) from None
    return address


def connect_ray(address: str | None) -> Any:
    """Attaches this process to the cluster at `address`, or starts a Ray instance of this
    machine's cores when `address` is None. Returns the ray module."""
    ray = _import_ray()
    if ray.is_initialized():
        return ray
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    options: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
    try:
        if address is None:
            ray.init(
                include_dashboard=False,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                **options,
            )
        else:
            ray.init(address=_resolve_address(address), **options)
    except ExecutorError:
        raise
    except Exception as error:  # ray's own errors (ConnectionError, RuntimeError, ...)
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ExecutorError(f"Ray did not start: {message}") from None
    return ray


@dataclass
class _Program:
    """One program's batches, handed out one at a time."""

    batches: deque[list[int]]  # job indices
    stopped: bool = False


class RayExecutor:
    """Runs batches of jobs as Ray tasks; looks up and records runs on the driver only."""

    name = "ray"

    def __init__(
        self,
        address: str | None,
        backend_name: str = "local",
        required: frozenset[str] = frozenset(),
    ) -> None:
        """`required`: protections every node's sandbox must have (the CLI passes those of the
        driver's own backend, so that a node without bubblewrap refuses rather than runs)."""
        self._ray = connect_ray(address)
        self._backend_name = backend_name
        self._required = required
        self._task = self._ray.remote(num_cpus=1, max_retries=TASK_RETRIES, retry_exceptions=False)(
            _run_jobs
        )
        self.stats = RayStats()
        self._stats_lock = threading.Lock()

    def cpus(self) -> int:
        return max(1, int(self._ray.cluster_resources().get("CPU", 1)))

    def close(self) -> None:
        self._ray.shutdown()

    def run_batch(
        self,
        backend: LocalBackend,
        jobs: Iterable[RunJob],
        *,
        workers: int | None = None,
        stop_program_when: Callable[[JobResult], bool] | None = None,
        cache: RunCache | None = None,
    ) -> Iterator[JobResult]:
        """As sandbox.batch.run_batch; `backend` (the driver's) is not used for the runs, and
        `workers` is the cluster's: its CPUs decide how many tasks are in flight."""
        ray = self._ray
        jobs = list(jobs)
        stopped: set[Hashable] = set()

        def stops(result: JobResult) -> bool:
            if result.job.program_key in stopped:
                return True
            if stop_program_when is not None and stop_program_when(result):
                stopped.add(result.job.program_key)
            return False

        # Known runs first, in job order, as run_batch yields them.
        pending: dict[Hashable, list[int]] = {}
        for index, job in enumerate(jobs):
            hit = cache.lookup(job) if cache is not None else None
            if hit is None:
                pending.setdefault(job.program_key, []).append(index)
                continue
            known = JobResult(job, hit[0], hit[1])
            yield JobResult(job, None) if stops(known) else known
        if not pending:
            return

        cpus = self.cpus()
        total = sum(len(indices) for indices in pending.values())
        size = max(1, min(MAX_BATCH, -(-total // (4 * cpus))))
        programs = {
            key: _Program(deque(indices[i : i + size] for i in range(0, len(indices), size)))
            for key, indices in pending.items()
        }
        ready: deque[Hashable] = deque(programs)
        program_refs: dict[str, Any] = {}
        input_refs: dict[str, Any] = {}
        in_flight: dict[Any, tuple[Hashable, list[int], float]] = {}

        def program_digest(program: Program) -> str:
            digest = hashlib.sha256(str(program.directory.resolve()).encode()).hexdigest()
            if digest not in program_refs:
                files = sorted(p for p in program.directory.rglob("*") if p.is_file())
                program_refs[digest] = ray.put(
                    [
                        (
                            str(p.relative_to(program.directory)),
                            p.stat().st_mode & 0o777,
                            p.read_bytes(),
                        )
                        for p in files
                    ]
                )
            return digest

        def input_digest(path: Path) -> str:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest not in input_refs:
                input_refs[digest] = ray.put(data)
            return digest

        def submit(key: Hashable) -> None:
            batch = programs[key].batches.popleft()
            specs = []
            for index in batch:
                job = jobs[index]
                specs.append(
                    _Job(
                        index,
                        program_digest(job.program),
                        job.program.language.id,
                        job.program.main,
                        input_digest(job.input),
                        job.limits,
                    )
                )
            wanted_programs = {s.program: program_refs[s.program] for s in specs}
            wanted_inputs = {s.input: input_refs[s.input] for s in specs}
            ref = self._task.remote(
                self._backend_name, self._required, wanted_programs, wanted_inputs, specs
            )
            in_flight[ref] = (key, batch, time.monotonic())

        def fill() -> Iterator[JobResult]:
            # Programs stopped while waiting have their remaining batches skipped here.
            while ready and len(in_flight) < 2 * cpus:
                key = ready.popleft()
                if key in stopped:
                    for batch in programs[key].batches:
                        for index in batch:
                            yield JobResult(jobs[index], None)
                    programs[key].batches.clear()
                    continue
                submit(key)

        try:
            yield from fill()
            while in_flight:
                [ref], _ = ray.wait(list(in_flight), num_returns=1)
                key, batch, submitted = in_flight.pop(ref)
                reply = self._get(ref)
                with self._stats_lock:
                    self.stats.tasks += 1
                    self.stats.runs += len(reply["results"])
                    self.stats.run_seconds += reply["run_s"]
                    self.stats.task_seconds += reply["task_s"]
                    self.stats.round_trip_seconds += time.monotonic() - submitted
                    self.stats.workers.add(tuple(reply["worker"]))
                for index, run, output in reply["results"]:
                    job = jobs[index]
                    if cache is not None:
                        cache.record(job, run, output)
                    result = JobResult(job, run, output)
                    yield JobResult(job, None) if stops(result) else result
                left = batch[len(reply["results"]) :]  # the task stopped at a failed run
                if left:
                    programs[key].batches.appendleft(left)
                if programs[key].batches:
                    ready.append(key)
                yield from fill()
        finally:
            for ref in in_flight:  # the caller stopped early: what is queued is not needed
                ray.cancel(ref)

    def _get(self, ref: Any) -> dict[str, Any]:
        """A task's reply; a sandbox error on the worker is raised here as itself."""
        ray = self._ray
        try:
            return ray.get(ref)
        except ray.exceptions.RayTaskError as error:
            cause = getattr(error, "cause", None)
            if isinstance(cause, Exception):
                raise cause from None
            raise ExecutorError(f"a Ray task failed: {str(error).splitlines()[0]}") from None
        except ray.exceptions.RayError as error:
            raise ExecutorError(
                f"a Ray task was lost after {TASK_RETRIES} retries: {str(error).splitlines()[0]}"
            ) from None

    # The doctor -------------------------------------------------------------------------------

    def doctor(self, timeout_s: float = 120.0) -> list[dict[str, Any]]:
        """Per alive node: its address, CPUs, and its sandbox checked by a task pinned there."""
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        ray = self._ray
        task = ray.remote(num_cpus=0, max_retries=1)(_doctor_task)
        nodes = [node for node in ray.nodes() if node.get("Alive")]
        refs = [
            task.options(
                scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False)
            ).remote(self._backend_name)
            for node in nodes
        ]
        reports = []
        for node, ref in zip(nodes, refs, strict=True):
            report = {
                "node": node["NodeID"][:12],
                "address": node.get("NodeManagerAddress", "?"),
                "cpus": int(node.get("Resources", {}).get("CPU", 0)),
            }
            try:
                report.update(ray.get(ref, timeout=timeout_s))
            except Exception as error:  # one sick node must not hide the others
                message = str(error).strip().splitlines()[0] if str(error).strip() else ""
                report.update(
                    healthy=False, note=f"no answer: {type(error).__name__} {message}"[:300]
                )
            reports.append(report)
        return reports


def open_executor(
    name: str,
    *,
    ray_address: str | None = None,
    backend: str = "local",
    required: frozenset[str] = frozenset(),
) -> Executor:
    """An executor by name; the caller closes it. `ray_address`: HOST:PORT, `auto`, or None
    to start a Ray instance on this machine; `required`: protections every node must have."""
    if name == "local":
        return LOCAL
    if name == "ray":
        return RayExecutor(ray_address, backend, required)
    raise ExecutorError(f"unknown executor {name!r} (known: {', '.join(EXECUTORS)})")
