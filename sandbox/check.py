"""`check`: judge every submission of a package and compare with the verdict it expects.

Conventions (problemtools, BAPCtools, DOMjudge): a submission's folder says what it must get,
judged as a contestant's run, stopping at the first failing test: `accepted` AC;
`wrong_answer` WA; `time_limit_exceeded` TLE; `run_time_error` RTE (a memory-limit crash
counts); `mixed` and `rejected` anything but AC. A DOMjudge `@EXPECTED_RESULTS@:` line in the
source overrides its folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from sandbox.errors import LanguageError, PackageError, SandboxError
from sandbox.judge import Judge
from sandbox.languages import Language, detect_language, toolchain_available
from sandbox.problem import Problem, Submission
from sandbox.timelimit import ResolvedTimeLimit, resolve_time_limit
from sandbox.verdicts import Verdict

NOT_ACCEPTED = frozenset(Verdict) - {Verdict.AC}

FOLDER_EXPECTATIONS: dict[str, frozenset[Verdict]] = {
    "accepted": frozenset({Verdict.AC}),
    "wrong_answer": frozenset({Verdict.WA}),
    "time_limit_exceeded": frozenset({Verdict.TLE}),
    "run_time_error": frozenset({Verdict.RTE, Verdict.MLE}),
    "mixed": NOT_ACCEPTED,
    "rejected": NOT_ACCEPTED,
}

_DOMJUDGE_RESULTS = {
    "ACCEPTED": Verdict.AC,
    "CORRECT": Verdict.AC,
    "WRONG_ANSWER": Verdict.WA,
    "NO_OUTPUT": Verdict.WA,
    "TIMELIMIT": Verdict.TLE,
    "TIME_LIMIT_EXCEEDED": Verdict.TLE,
    "RUN_TIME_ERROR": Verdict.RTE,
    "RUN_ERROR": Verdict.RTE,
    "MEMORY_LIMIT": Verdict.MLE,
    "OUTPUT_LIMIT": Verdict.OLE,
    "COMPILER_ERROR": Verdict.CE,
}
_EXPECTED_RESULTS = re.compile(rb"@EXPECTED_RESULTS@\s*:?\s*([A-Za-z_, -]+)")


@dataclass(frozen=True)
class CheckOutcome:
    problem: str
    path: str  # relative to the package: "submissions/accepted/a.py"
    expected: str
    verdict: Verdict | None  # None: not judged (see note)
    ok: bool | None
    note: str = ""
    time_s: float = 0.0

    def to_json(self) -> dict:
        return {
            "problem": self.problem,
            "path": self.path,
            "expected": self.expected,
            "verdict": str(self.verdict) if self.verdict is not None else None,
            "ok": self.ok,
            "note": self.note,
        }


@dataclass(frozen=True)
class PlannedSubmission:
    submission: Submission
    language: Language | None
    expected: frozenset[Verdict] | None
    expected_text: str
    skip_reason: str


def expected_verdicts(submission: Submission) -> tuple[frozenset[Verdict] | None, str]:
    folder = submission.expected  # other folder names are not judged, as in problemtools
    if submission.path.is_file():
        head = submission.path.read_bytes()[:4096]
        found = _EXPECTED_RESULTS.search(head)
        if found:
            names = found.group(1).decode().split(",")
            keys = [name.strip().upper().replace("-", "_") for name in names]
            verdicts = {_DOMJUDGE_RESULTS.get(key) for key in keys if key}
            if verdicts and None not in verdicts:
                if Verdict.RTE in verdicts:
                    verdicts.add(Verdict.MLE)
                shown = "|".join(sorted(str(v) for v in verdicts))
                return frozenset(verdicts), shown  # type: ignore[arg-type]
    expected = FOLDER_EXPECTATIONS.get(folder)
    if expected is None:
        return None, submission.expected
    shown = "not AC" if expected == NOT_ACCEPTED else "|".join(sorted(str(v) for v in expected))
    return expected, shown


def plan_submissions(problem: Problem) -> list[PlannedSubmission]:
    planned = []
    for submission in problem.submissions:
        expected, shown = expected_verdicts(submission)
        language: Language | None = None
        reason = ""
        if expected is None:
            reason = f"no expected verdict for folder {submission.expected!r}"
        else:
            try:
                language = detect_language(submission.path)
                if not toolchain_available(language):
                    reason = f"{language.name} is not installed"
            except LanguageError:
                reason = "unknown language (file extension)"
        planned.append(PlannedSubmission(submission, language, expected, shown, reason))
    return planned


def _outcome_path(problem: Problem, submission: Submission) -> str:
    return str(submission.path.relative_to(problem.path))


def check_problems(
    problems: list[Problem],
    judge: Judge,
    *,
    cache_dir: Path,
    jobs: int,
    on_outcome: Callable[[CheckOutcome], None] = lambda outcome: None,
    on_time_limit: Callable[[Problem, ResolvedTimeLimit], None] = lambda p, t: None,
) -> list[CheckOutcome]:
    """Judges every submission of every problem, `jobs` at a time; reports as each finishes."""
    outcomes: list[CheckOutcome] = []

    def report(outcome: CheckOutcome) -> None:
        outcomes.append(outcome)
        on_outcome(outcome)

    def judge_one(problem: Problem, plan: PlannedSubmission, limit: float) -> CheckOutcome:
        assert plan.language is not None and plan.expected is not None
        path = _outcome_path(problem, plan.submission)
        try:
            result = judge.judge(
                problem,
                plan.submission.path,
                plan.language,
                tests=problem.tests(),
                time_limit_s=limit,
            )
        except SandboxError as error:
            return CheckOutcome(
                problem.slug, path, plan.expected_text, None, None, f"not judged: {error}"
            )
        failed = next((t for t in result.tests if t.verdict is not Verdict.AC), None)
        note = f"{failed.name}: {failed.message}" if failed and failed.message else ""
        if result.verdict is Verdict.CE:
            note = result.compile.message.splitlines()[0] if result.compile.message else ""
        return CheckOutcome(
            problem.slug,
            path,
            plan.expected_text,
            result.verdict,
            result.verdict in plan.expected,
            note[:300],
            result.max_time_s,
        )

    def resolve(problem: Problem) -> ResolvedTimeLimit | PackageError:
        try:
            problem.require_judgeable()
            if not problem.tests():
                # An interactive package may ship only `.interaction` transcripts of its
                # examples: with no input to give the interactor, nothing can be judged.
                return PackageError(problem.slug, "data/", "no test inputs (.in with .ans)")
            judge.validator_for(problem)
            return resolve_time_limit(problem, judge, cache_dir)
        except PackageError as error:
            return error

    def not_judged(problem: Problem, plan: PlannedSubmission, why: str) -> None:
        path = _outcome_path(problem, plan.submission)
        report(CheckOutcome(problem.slug, path, plan.expected_text, None, None, why))

    # Problems are resolved (validator built, time limit found) as jobs of the same pool, and
    # each one's submissions are queued as soon as it is ready, so results stream from the start.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        pending: dict[Future, Problem | None] = {pool.submit(resolve, p): p for p in problems}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                problem = pending.pop(future)
                if problem is None:
                    report(future.result())
                    continue
                limit = future.result()
                plans = plan_submissions(problem)
                if isinstance(limit, PackageError):
                    for plan in plans:
                        not_judged(problem, plan, f"not judged: {limit}")
                    continue
                on_time_limit(problem, limit)
                for plan in plans:
                    if plan.skip_reason:
                        not_judged(problem, plan, f"skipped: {plan.skip_reason}")
                    else:
                        job = pool.submit(judge_one, problem, plan, limit.seconds)
                        pending[job] = None
    return sorted(outcomes, key=lambda o: (o.problem, o.path))
