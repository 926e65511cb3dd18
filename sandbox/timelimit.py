"""A problem's time limit: the stated one, or one derived from its accepted submissions.

Legacy Kattis packages may state no limit; problemtools then runs the accepted submissions and
sets the limit to the slowest one's time multiplied by `time_multiplier` (5 by default), rounded
to whole seconds, at least 1. The derived limit is cached on disk with what it was derived from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sandbox.errors import LanguageError
from sandbox.judge import Judge
from sandbox.languages import detect_language, toolchain_available
from sandbox.problem import Problem
from sandbox.verdicts import Verdict

PROBE_TIME_LIMIT_S = 30.0  # how long an accepted submission may run while deriving
FALLBACK_TIME_LIMIT_S = 10.0  # no stated limit and no accepted submission to derive one from


@dataclass(frozen=True)
class ResolvedTimeLimit:
    seconds: float
    explanation: str


def derive_limit(slowest_accepted_s: float, multiplier: float) -> float:
    return float(max(1, int(0.5 + slowest_accepted_s * multiplier)))


def _cache_key(problem: Problem, sources: list[Path]) -> str:
    digest = hashlib.sha256(str(problem.time_multiplier).encode())
    for path in sources + [t.input for t in problem.tests()]:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def resolve_time_limit(problem: Problem, judge: Judge, cache_dir: Path) -> ResolvedTimeLimit:
    stated = problem.time_limit
    if stated.seconds is not None:
        return ResolvedTimeLimit(stated.seconds, f"stated in {stated.source}")
    accepted = []
    for submission in problem.submissions:
        if submission.expected != "accepted" or not submission.path.is_file():
            continue
        try:
            language = detect_language(submission.path)
        except LanguageError:
            continue
        if toolchain_available(language):
            accepted.append((submission.path, language))
    if not accepted:
        return ResolvedTimeLimit(
            FALLBACK_TIME_LIMIT_S,
            f"none stated and no accepted submission to derive it from: "
            f"{FALLBACK_TIME_LIMIT_S:g} s",
        )
    cache_file = cache_dir / "timelimits" / f"{_cache_key(problem, [p for p, _ in accepted])}.json"
    if cache_file.is_file():
        cached = json.loads(cache_file.read_text())
        return ResolvedTimeLimit(cached["seconds"], cached["explanation"])
    slowest = 0.0
    for path, language in accepted:
        result = judge.judge(
            problem, path, language, tests=problem.tests(), time_limit_s=PROBE_TIME_LIMIT_S
        )
        if result.verdict is Verdict.AC:
            slowest = max(slowest, result.max_time_s)
    seconds = derive_limit(slowest, problem.time_multiplier)
    explanation = (
        f"none stated; derived from the slowest accepted run ({slowest:.2f} s) "
        f"x {problem.time_multiplier:g}"
    )
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps({"seconds": seconds, "explanation": explanation}))
    return ResolvedTimeLimit(seconds, explanation)
