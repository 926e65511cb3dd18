"""Judging one program on a problem's tests: compile once, run each test, check, give verdicts."""

from __future__ import annotations

import signal
import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.backends.local import LocalBackend, RunResult
from sandbox.build import Builder, BuildResult, Program
from sandbox.checkers import compare_output
from sandbox.errors import PackageError
from sandbox.execute import execute
from sandbox.interactive import Interaction, InteractivePair, interactive_pair
from sandbox.languages import Language
from sandbox.limits import Limits
from sandbox.problem import Problem, TestCase
from sandbox.validators import (
    OutputValidatorBox,
    build_validator,
    output_validator,
    validator_verdict,
)
from sandbox.verdicts import Verdict

# Read at most this much of an answer or an output into memory to compare them.
_COMPARE_LIMIT_BYTES = 256 * 1024 * 1024
_OUT_OF_MEMORY_SIGNS = (b"MemoryError", b"std::bad_alloc", b"OutOfMemoryError", b"Cannot allocate")
# How runtimes report a write to a pipe that no one reads any more (besides dying of SIGPIPE).
_BROKEN_PIPE_SIGNS = (b"BrokenPipeError", b"Broken pipe")


@dataclass(frozen=True)
class TestResult:
    name: str
    verdict: Verdict
    time_s: float
    memory_kib: int
    message: str = ""
    transcript: dict | None = None  # interactive problems: what went over the pipes (capped)

    def to_json(self) -> dict:
        shown = {
            "name": self.name,
            "verdict": str(self.verdict),
            "time_s": round(self.time_s, 3),
            "memory_kib": self.memory_kib,
            "message": self.message,
        }
        if self.transcript is not None:
            shown["transcript"] = self.transcript
        return shown


@dataclass(frozen=True)
class JudgeResult:
    problem: str
    source: str
    language: str
    verdict: Verdict
    compile: BuildResult
    time_limit_s: float
    tests: tuple[TestResult, ...] = field(default=())

    @property
    def max_time_s(self) -> float:
        return max((t.time_s for t in self.tests), default=0.0)

    def to_json(self) -> dict:
        return {
            "problem": self.problem,
            "source": self.source,
            "language": self.language,
            "verdict": str(self.verdict),
            "time_limit_s": self.time_limit_s,
            "compile": {
                "ok": self.compile.ok,
                "time_s": self.compile.time_s,
                "message": self.compile.message,
            },
            "tests": [t.to_json() for t in self.tests],
        }


def run_verdict(result: RunResult, limits: Limits) -> Verdict | None:
    """The verdict a run earns by itself, or None when its output must be checked."""
    if result.wall_timeout or result.cpu_s > limits.time_s:
        return Verdict.TLE
    if result.output_limit_hit:
        return Verdict.OLE
    if result.exit_code == 0:
        return None
    near_limit = result.memory_kib >= 0.95 * limits.memory_mib * 1024
    if near_limit or any(sign in result.stderr for sign in _OUT_OF_MEMORY_SIGNS):
        return Verdict.MLE
    return Verdict.RTE


def _run_message(result: RunResult, verdict: Verdict) -> str:
    if verdict is Verdict.TLE:
        if result.wall_timeout:
            return f"stopped after {result.wall_s:.1f} s of wall time"
        return f"used {result.cpu_s:.2f} s of CPU time"
    if verdict is Verdict.OLE:
        return f"wrote {result.stdout_bytes} bytes"
    how = f"killed by signal {result.signal}" if result.signal else f"exit code {result.exit_code}"
    tail = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
    return f"{how}: {tail[0][:200]}" if tail else how


def interaction_verdict(interaction: Interaction, limits: Limits) -> tuple[Verdict, str]:
    """The verdict of an interactive run, by problemtools' rules: an interactor that failed
    (JE), or that rejected before the candidate exited (WA: the candidate's end may be its
    consequence) unless the candidate had used more than its CPU time, decides; otherwise the
    candidate's own failure (TLE, OLE, MLE, RTE) does; otherwise the interactor's verdict."""
    checked = validator_verdict(interaction.interactor, interaction.feedback)
    # A candidate over its CPU limit ran out of time whoever exited first: its end (at the
    # rlimit) is what made the interactor see no reply, and the order of two exits that close
    # together is a race.
    over_cpu = interaction.candidate.cpu_s > limits.time_s
    # A candidate that died writing to a closed pipe ended because the interactor had stopped
    # reading, whatever order the two exits were seen in (a race under load).
    rejected_first = interaction.interactor_first or _broken_pipe(interaction.candidate)
    if checked.verdict is Verdict.JE or (
        checked.verdict is Verdict.WA and rejected_first and not over_cpu
    ):
        return checked.verdict, checked.message
    own = run_verdict(interaction.candidate, limits)
    if own is not None:
        return own, _run_message(interaction.candidate, own)
    return checked.verdict, checked.message


def _broken_pipe(run: RunResult) -> bool:
    """Whether the run ended on a write to a pipe whose reader had gone."""
    if run.signal == signal.SIGPIPE:
        return True
    return run.exit_code != 0 and any(sign in run.stderr for sign in _BROKEN_PIPE_SIGNS)


def interaction_time_s(interaction: Interaction) -> float:
    """The candidate's time, as `judge` reports it (wall time when its watchdog stopped it)."""
    run = interaction.candidate
    return run.wall_s if run.wall_timeout else run.cpu_s


class Judge:
    """Judges programs; safe to share between threads."""

    def __init__(self, backend: LocalBackend, builder: Builder) -> None:
        self.backend = backend
        self.builder = builder
        self._validators: dict[Path, Program] = {}
        self._validators_lock = threading.Lock()

    def validator_for(self, problem: Problem) -> Program | None:
        if problem.output_validator is None:
            return None
        with self._validators_lock:
            if problem.path not in self._validators:
                self._validators[problem.path] = build_validator(
                    self.builder, problem.output_validator, problem.slug
                )
            return self._validators[problem.path]

    def judge(
        self,
        problem: Problem,
        source: Path,
        language: Language,
        *,
        tests: tuple[TestCase, ...],
        time_limit_s: float,
        stop_at_first_failure: bool = True,
        transcripts: bool = False,
    ) -> JudgeResult:
        """With `transcripts`, an interactive problem's tests keep what went over the pipes
        (capped); without, the two programs talk directly, which is faster."""
        problem.require_judgeable()
        if not tests:
            # Nothing judged is not "accepted": an interactive package may ship its examples
            # only as `.interaction` transcripts, or `--tests sample` find none.
            raise PackageError(problem.slug, "data/", "no tests to judge (.in with .ans)")
        validator = self.validator_for(problem)
        built = self.builder.build(source, language)

        def result(verdict: Verdict, results: tuple[TestResult, ...] = ()) -> JudgeResult:
            return JudgeResult(
                problem.slug, str(source), language.id, verdict, built, time_limit_s, results
            )

        if not built.ok or built.program is None:
            return result(Verdict.CE)
        limits = Limits(
            time_s=time_limit_s, memory_mib=problem.memory_mib, output_mib=problem.output_mib
        )
        results: list[TestResult] = []
        program = built.program
        if problem.interactive:
            assert validator is not None  # the loader requires one
            with interactive_pair(
                self.backend, program, validator, problem.validator_flags
            ) as pair:
                for test in tests:
                    results.append(self._interact(pair, test, limits, transcripts))
                    if results[-1].verdict is not Verdict.AC and stop_at_first_failure:
                        break
            first_failure = next((r.verdict for r in results if r.verdict is not Verdict.AC), None)
            return result(first_failure or Verdict.AC, tuple(results))
        with ExitStack() as stack:
            checker = (
                stack.enter_context(
                    output_validator(self.backend, validator, problem.validator_flags)
                )
                if validator is not None
                else None
            )
            private = stack.enter_context(self.backend.private_dir())
            for test in tests:
                run = execute(
                    self.backend,
                    program,
                    stdin=test.input,
                    stdout=private / "stdout",
                    limits=limits,
                )
                verdict = run_verdict(run, limits)
                if verdict is not None:
                    message = _run_message(run, verdict)
                else:
                    verdict, message = self._check(problem, test, run, checker)
                # A run stopped by the watchdog has no CPU time of its own: report the wall time.
                spent = run.wall_s if run.wall_timeout else run.cpu_s
                results.append(TestResult(test.name, verdict, spent, run.memory_kib, message))
                if verdict is not Verdict.AC and stop_at_first_failure:
                    break
        first_failure = next((r.verdict for r in results if r.verdict is not Verdict.AC), None)
        return result(first_failure or Verdict.AC, tuple(results))

    def _interact(
        self, pair: InteractivePair, test: TestCase, limits: Limits, record: bool
    ) -> TestResult:
        interaction = pair.run(test.input, test.answer, limits, record="both" if record else "none")
        verdict, message = interaction_verdict(interaction, limits)
        return TestResult(
            test.name,
            verdict,
            interaction_time_s(interaction),
            interaction.candidate.memory_kib,
            message,
            interaction.transcript.to_json() if record else None,
        )

    def _check(
        self,
        problem: Problem,
        test: TestCase,
        run: RunResult,
        checker: OutputValidatorBox | None,
    ) -> tuple[Verdict, str]:
        if checker is not None:
            checked = checker.check(test.input, test.answer, run.stdout_path)
            return checked.verdict, checked.message
        with open(test.answer, "rb") as answer, open(run.stdout_path, "rb") as output:
            compared = compare_output(
                answer.read(_COMPARE_LIMIT_BYTES),
                output.read(_COMPARE_LIMIT_BYTES),
                problem.checker_flags,
            )
        return (Verdict.AC if compared.accepted else Verdict.WA), compared.message
