"""Building the candidates and keeping those that pass the public examples (data/sample only).

Each distinct program is compiled once (the judge's build cache dedupes across runs too), then
run on every example through the batch API; a program's remaining examples are skipped at its
first failure, as a contest judge would stop.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.batch import JobResult, RunJob
from sandbox.build import Builder, Program
from sandbox.errors import LanguageError
from sandbox.interactive import Interaction, PairJob, run_pairs
from sandbox.judge import Judge, interaction_time_s, interaction_verdict, run_verdict
from sandbox.languages import language_by_id
from sandbox.limits import Limits
from sandbox.problem import Problem
from sandbox.verdicts import Verdict
from solver.checking import OutputChecker
from solver.executor import LOCAL, Executor
from solver.pool import Candidate
from solver.store import Store

Progress = Callable[[int, int], None]  # (done, total)

_JAVA_PUBLIC_CLASS = re.compile(r"\bpublic\s+(?:final\s+)?class\s+([A-Za-z_$][\w$]*)")


@dataclass(frozen=True)
class Built:
    index: int  # the candidate's position in the pool given to the pipeline
    candidate: Candidate
    program: Program | None  # None: did not compile (or no toolchain)
    message: str = ""


@dataclass
class SampleOutcome:
    verdict: Verdict = Verdict.AC  # the first failing example's verdict, else AC
    max_time_s: float = 0.0
    max_memory_kib: int = 0
    outputs: dict[str, bytes] = field(default_factory=dict)  # example name -> output

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.AC


def _file_name(candidate: Candidate) -> str:
    language = language_by_id(candidate.language)
    if language.id == "java":
        # javac insists that a public class lives in a file of its name.
        found = _JAVA_PUBLIC_CLASS.search(candidate.source)
        return f"{found.group(1) if found else 'Main'}.java"
    return "main" + language.extensions[0]


def build_candidates(
    builder: Builder,
    candidates: list[Candidate],
    workdir: Path,
    *,
    workers: int = 2,
    progress: Progress | None = None,
) -> list[Built]:
    """Compiles every candidate in the sandbox; the order of the result is the pool's."""
    done = 0
    lock = threading.Lock()

    def build(index: int) -> Built:
        nonlocal done
        candidate = candidates[index]
        try:
            language = language_by_id(candidate.language)
            folder = workdir / f"candidate-{index:05d}"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / _file_name(candidate)
            path.write_text(candidate.source, encoding="utf-8")
            result = builder.build(path, language)
            built = Built(index, candidate, result.program if result.ok else None, result.message)
        except LanguageError as error:
            built = Built(index, candidate, None, str(error))
        with lock:
            done += 1
            if progress is not None:
                progress(done, len(candidates))
        return built

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(build, range(len(candidates))))


def filter_on_samples(
    backend: LocalBackend,
    judge: Judge,
    problem: Problem,
    built: list[Built],
    limits: Limits,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    cache: Store | None = None,
    executor: Executor = LOCAL,
) -> dict[int, SampleOutcome]:
    """Runs each compiled candidate on the examples (where `executor` runs them); returns an
    outcome per compiled index."""
    outcomes = {b.index: SampleOutcome() for b in built if b.program is not None}
    jobs = [
        RunJob(b.program, case.input, limits, program_key=b.index, tag=case)
        for b in built
        if b.program is not None
        for case in problem.samples
    ]
    done = 0
    with OutputChecker(backend, judge, problem, cache) as checker:

        def failed(result: JobResult) -> bool:
            # Called by run_batch in this thread, once per finished run: check it right here,
            # so that a program's remaining examples are skipped at its first failure.
            assert result.run is not None
            outcome = outcomes[result.job.program_key]  # type: ignore[index]
            case = result.job.tag
            verdict = run_verdict(result.run, limits)
            if verdict is None:
                verdict, _ = checker.check(case.input, case.answer, result.output)
            spent = result.run.wall_s if result.run.wall_timeout else result.run.cpu_s
            outcome.max_time_s = max(outcome.max_time_s, spent)
            outcome.max_memory_kib = max(outcome.max_memory_kib, result.run.memory_kib)
            outcome.outputs[case.name] = result.output
            if verdict is not Verdict.AC and outcome.verdict is Verdict.AC:
                outcome.verdict = verdict
            return verdict is not Verdict.AC

        runs = executor.run_batch(
            backend, jobs, workers=workers, stop_program_when=failed, cache=cache
        )
        for _ in runs:
            done += 1
            if progress is not None:
                progress(done, len(jobs))
    return outcomes


def filter_interactive_on_samples(
    backend: LocalBackend,
    judge: Judge,
    problem: Problem,
    built: list[Built],
    limits: Limits,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> dict[int, SampleOutcome]:
    """For an interactive problem: each compiled candidate talks to the package's interactor on
    the examples' inputs (the interactor judges it); a candidate stops at its first failure."""
    outcomes = {b.index: SampleOutcome() for b in built if b.program is not None}
    interactor = judge.validator_for(problem)
    assert interactor is not None  # an interactive package has one (the loader checks)
    jobs = [
        PairJob(b.program, case.input, case.answer, program_key=b.index, tag=case)
        for b in built
        if b.program is not None
        for case in problem.samples
    ]

    def failed(job: PairJob, interaction: Interaction) -> bool:
        return interaction_verdict(interaction, limits)[0] is not Verdict.AC

    pairs = run_pairs(
        backend,
        interactor,
        problem.validator_flags,
        jobs,
        limits,
        workers=workers,
        record="none",
        stop_program_when=failed,
    )
    for done, (job, interaction) in enumerate(pairs, start=1):
        if interaction is not None:
            outcome = outcomes[job.program_key]  # type: ignore[index]
            verdict, _ = interaction_verdict(interaction, limits)
            outcome.max_time_s = max(outcome.max_time_s, interaction_time_s(interaction))
            outcome.max_memory_kib = max(outcome.max_memory_kib, interaction.candidate.memory_kib)
            outcome.outputs[job.tag.name] = b""  # type: ignore[attr-defined]
            if verdict is not Verdict.AC and outcome.verdict is Verdict.AC:
                outcome.verdict = verdict
        if progress is not None:
            progress(done, len(jobs))
    return outcomes
