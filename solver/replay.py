"""Batch contest replay: the solver over a whole contest, its picks judged on the hidden tests.

For each problem, in contest order: the candidates (a recorded pool, the package's own
submissions with their labels hidden, or a model's samples), the selection pipeline, then the
ranked picks submitted one by one against every test (`data/sample` and `data/secret`) until one
is accepted or none is left, as a contestant would. Every survivor of the examples is judged on
the hidden tests too (evaluation only, after selection is over) for pass@k and n@k.

Everything is kept in the store (solver/store.py): runs, checker calls, generated inputs,
judgements, and each finished problem's outcome, so a killed replay continues where it was and
ends with the same summary. Simulated contest time is a deterministic model, not the machine's
clock (which a resumed run could not reproduce): problems are taken in contest order, each
given an equal share of the contest, and its attempts go in one minute apart from the start of
its share.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sandbox.cache import default_cache_dir
from sandbox.errors import PackageError, SandboxError
from sandbox.judge import Judge
from sandbox.languages import language_by_id
from sandbox.problem import Problem, load_problem
from sandbox.timelimit import resolve_time_limit
from sandbox.verdicts import Verdict
from solver.cluster import Clustering
from solver.contest import Contest, ContestProblem
from solver.errors import ModelError, PoolError, SolverError
from solver.executor import LOCAL, Executor
from solver.filter import SampleOutcome
from solver.metrics import mean, n_at_k, pass_at_k, sample_sizes
from solver.pipeline import PipelineConfig, PipelineResult, run_pipeline, score_candidates
from solver.pool import Candidate, load_pool, normalized_source
from solver.scorer import Scorer
from solver.select import select, slow_members
from solver.store import Store, digest_bytes, digest_text, package_digest

OUTCOME_VERSION = "1"  # part of every outcome's key: a change of rules recomputes them
PASS_AT = (1, 10, 100, 1000)
SUBMISSIONS_COUNTED = (1, 10)

CandidateSource = Callable[[Problem], list[Candidate]]


@dataclass(frozen=True)
class ReplayConfig:
    pipeline: PipelineConfig = field(default_factory=PipelineConfig)
    draws: int = 40  # subsamples per sample size for n@k
    jobs: int = 1  # problems at once


@dataclass
class Attempt:
    rank: int
    candidate: int
    language: str
    verdict: str
    minute: int


@dataclass
class ProblemOutcome:
    label: str
    problem: str
    name: str
    error: str | None = None
    samples: int = 0  # candidates drawn, duplicates included
    distinct: int = 0
    compiled: int = 0
    survivors: int = 0
    inputs: int = 0
    clusters: int = 0
    cluster_sizes: list[int] = field(default_factory=list)
    # Candidate indices (pool order) per cluster, largest first; and the ranked picks.
    cluster_members: list[list[int]] = field(default_factory=list)
    picks: list[dict[str, Any]] = field(default_factory=list)
    correct_samples: int = 0  # samples (duplicates included) accepted on the hidden tests
    correct_survivors: int = 0  # distinct
    attempts: list[Attempt] = field(default_factory=list)
    solved: bool = False
    penalty_minutes: int = 0
    pass_at_k: dict[str, float] = field(default_factory=dict)
    n_at_k: dict[str, dict[str, float]] = field(default_factory=dict)  # k -> {"1": .., "10": ..}
    time_limit_s: float = 0.0  # the solver's: stated by the package, else a common default
    judge_time_limit_s: float = 0.0  # the judge's: stated, else derived from accepted runs
    # Tests in data/secret; 0 means the package has only its examples, so "solved" there only
    # says that a pick passed the examples.
    hidden_tests: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # not part of the summary

    @property
    def solved_at(self) -> int | None:
        for attempt in self.attempts:
            if attempt.verdict == "AC":
                return attempt.rank
        return None

    def summary(self) -> dict[str, Any]:
        """The row of the JSON summary: what a rerun must reproduce exactly."""
        return {
            "label": self.label,
            "problem": self.problem,
            "solved": self.solved,
            "attempts": len(self.attempts),
            "verdicts": [attempt.verdict for attempt in self.attempts],
            "solved_at": self.solved_at,
            "penalty_minutes": self.penalty_minutes,
            "samples": self.samples,
            "compiled": self.compiled,
            "survivors": self.survivors,
            "clusters": self.clusters,
            "correct_samples": self.correct_samples,
            "hidden_tests": self.hidden_tests,
            "pass_at_k": self.pass_at_k,
            "n_at_k": self.n_at_k,
            "error": self.error,
        }

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProblemOutcome:
        attempts = [Attempt(**attempt) for attempt in data.pop("attempts", [])]
        return cls(**data, attempts=attempts)


@dataclass
class ReplayResult:
    contest: Contest
    outcomes: list[ProblemOutcome]
    from_store: int  # problems whose outcome was already in the store
    work: dict[str, dict[str, float]]
    seconds: float

    def summary(self) -> dict[str, Any]:
        return summarize(self.contest, self.outcomes)


def summarize(contest: Contest, outcomes: list[ProblemOutcome]) -> dict[str, Any]:
    """The replay's JSON summary: per-problem rows and the aggregate figures (no timings,
    so that a resumed run and an uninterrupted one give the same summary)."""
    judged = [o for o in outcomes if o.error is None]
    solved = [o for o in judged if o.solved]
    largest = max((o.samples for o in judged), default=0)
    curve: dict[str, dict[str, float]] = {}
    for k in sample_sizes(largest):
        # A problem with fewer samples than k counts with all it has.
        per = [o.n_at_k.get(str(min(k, o.samples)), {}) for o in judged]
        curve[str(k)] = {
            str(n): round(mean([p.get(str(n), 0.0) for p in per]), 4) for n in SUBMISSIONS_COUNTED
        }
    pass_rates = {}
    for k in PASS_AT:
        having = [o.pass_at_k[str(k)] for o in judged if str(k) in o.pass_at_k]
        if having and len(having) == len(judged):
            pass_rates[str(k)] = round(mean(having), 4)
    return {
        "contest": contest.name,
        "scoring": contest.scoring,
        "problems": [o.summary() for o in outcomes],
        "aggregate": {
            "problems": len(outcomes),
            "judged": len(judged),
            "errors": len(outcomes) - len(judged),
            "solved": len(solved),
            "solved_with_hidden_tests": sum(o.hidden_tests > 0 for o in solved),
            "without_hidden_tests": sum(o.hidden_tests == 0 for o in judged),
            "solved_within_1": sum(o.solved_at == 1 for o in judged),
            "solved_within_10": sum(o.solved_at is not None and o.solved_at <= 10 for o in judged),
            "attempts": sum(len(o.attempts) for o in judged),
            "penalty_minutes": sum(o.penalty_minutes for o in solved),
            "samples": sum(o.samples for o in judged),
            "compiled": sum(o.compiled for o in judged),
            "survivors": sum(o.survivors for o in judged),
            "clusters": sum(o.clusters for o in judged),
            "pass_at_k": pass_rates,
            "n_at_k": curve,
        },
    }


class ReplayProgress:
    """What a replay tells as it goes; the command line prints it, tests may record it."""

    def start(self, contest: Contest, done: int) -> None:  # noqa: B027 - optional hook
        """The replay begins; `done` problems are already in the store."""

    def problem_started(self, entry: ContestProblem, index: int, total: int) -> None:  # noqa: B027
        """A problem is being solved."""

    def problem_done(  # noqa: B027 - optional hook
        self, outcome: ProblemOutcome, index: int, total: int, cached: bool
    ) -> None:
        """A problem's outcome is known."""


def submissions_pool(problem: Problem) -> list[Candidate]:
    """The package's own submissions, every verdict mixed, as a pool. They are put in an order
    that says nothing of their folders (by their sources' digest): selection breaks ties by
    pool order, and `accepted/` sorts first by name."""
    folder = problem.path / "submissions"
    if not folder.is_dir():
        raise PoolError(f"{problem.slug}: the package has no submissions/ folder to replay")
    candidates = load_pool(folder)
    return sorted(candidates, key=lambda c: digest_text(c.language, normalized_source(c.source)))


def recorded_pools(path: Path, *, single: bool) -> CandidateSource:
    """Pools recorded per problem: `PATH/<slug>.jsonl` or `PATH/<slug>/`; with `single`
    (a replay of one problem), PATH itself may be the pool."""

    def candidates(problem: Problem) -> list[Candidate]:
        for option in (path / f"{problem.slug}.jsonl", path / problem.slug):
            if option.exists():
                return load_pool(option)
        if single and path.exists():
            return load_pool(path)
        raise PoolError(f"{path}: no pool for {problem.slug} ({problem.slug}.jsonl or folder)")

    return candidates


def _pool_digest(candidates: list[Candidate]) -> str:
    parts = []
    for candidate in candidates:
        count = int(candidate.metadata.get("count", 1))
        parts.append(f"{candidate.language}:{count}:{normalized_source(candidate.source)}")
    return digest_text("pool", *parts)


def _config_key(config: ReplayConfig) -> str:
    p = config.pipeline
    return (
        f"v{OUTCOME_VERSION}/inputs={p.inputs}/seed={p.seed}/order={p.order}/"
        f"tl={p.time_limit_s}/n={p.submissions}/draws={config.draws}"
        + (f"/{p.model_inputs.key()}" if p.model_inputs is not None else "")
    )


class Replay:
    """Runs a contest through the solver, with everything kept in `store`."""

    def __init__(
        self,
        judge: Judge,
        store: Store,
        candidates_for: CandidateSource,
        config: ReplayConfig | None = None,
        *,
        scorer: Scorer | None = None,
        progress: ReplayProgress | None = None,
        executor: Executor = LOCAL,
    ) -> None:
        self.judge = judge
        self.executor = executor  # where candidate runs go; the store stays with this process
        self.store = store
        self.candidates_for = candidates_for
        self.config = config or ReplayConfig()
        self.scorer = scorer or Scorer.load()
        self.progress = progress or ReplayProgress()
        self._lock = threading.Lock()
        # A retrained scorer ranks differently: outcomes are kept per scorer.
        self._scorer_key = digest_text("scorer", json.dumps(self.scorer.to_json(), sort_keys=True))

    def run(self, contest: Contest) -> ReplayResult:
        started = time.monotonic()
        total = len(contest.problems)
        outcomes: list[ProblemOutcome | None] = [None] * total
        from_store = 0
        self.progress.start(contest, len(self.store.memo_keys("outcome")))

        def solve(index: int) -> None:
            nonlocal from_store
            outcome, cached = self._problem(contest, index)
            with self._lock:
                outcomes[index] = outcome
                from_store += cached
            self.progress.problem_done(outcome, index, total, cached)

        if self.config.jobs <= 1:
            for index in range(total):
                solve(index)
        else:
            with ThreadPoolExecutor(max_workers=self.config.jobs) as pool:
                for future in [pool.submit(solve, i) for i in range(total)]:
                    future.result()
        return ReplayResult(
            contest,
            [o for o in outcomes if o is not None],
            from_store,
            self.store.work_counts(),
            time.monotonic() - started,
        )

    # One problem ----------------------------------------------------------------------------

    def _problem(self, contest: Contest, index: int) -> tuple[ProblemOutcome, bool]:
        entry = contest.problems[index]
        slug = entry.path.name
        try:
            problem = load_problem(entry.path)
            problem.require_judgeable()
            slug = problem.slug
            candidates = self.candidates_for(problem)
        except ModelError:
            raise  # the endpoint failed for good: the whole replay stops, its work kept
        except (PackageError, SolverError) as error:
            # Deterministic: the same package fails the same way; not stored, cheap to redo.
            return ProblemOutcome(entry.label, slug, slug, error=str(error)), False
        key = digest_text(
            "outcome",
            package_digest(problem.path),
            _pool_digest(candidates),
            _config_key(self.config),
            self._scorer_key,
            entry.label,
            str(index),
            str(len(contest.problems)),
            str(contest.duration_minutes),
            str(contest.penalty_minutes),
        )
        hidden = len(problem.tests("secret"))  # a fact of the package, not of the run
        known = self.store.memo("outcome", key)
        if known is not None:
            return replace(ProblemOutcome.from_json(known), hidden_tests=hidden), True
        self._keep_pool(candidates)
        self.progress.problem_started(entry, index, len(contest.problems))
        started = time.monotonic()
        try:
            outcome = self._solve(contest, index, problem, candidates)
        except SandboxError as error:
            # A package the judge cannot use (a validator that does not build, ...): reported
            # in its row, and tried again on the next run.
            return ProblemOutcome(entry.label, problem.slug, problem.slug, error=str(error)), False
        outcome.seconds["total"] = round(time.monotonic() - started, 3)
        self.store.record_memo("outcome", key, outcome.to_json(), time.monotonic() - started)
        return replace(outcome, hidden_tests=hidden), False

    def _keep_pool(self, candidates: list[Candidate]) -> None:
        """Every sample goes in the store (sources as blobs), once per distinct pool."""
        key = _pool_digest(candidates)
        if self.store.memo("pool", key) is not None:
            return
        entries = [
            {
                "language": c.language,
                "source": digest_bytes(c.source.encode()),
                "metadata": {k: v for k, v in c.metadata.items() if _plain(v)},
            }
            for c in candidates
        ]
        sources = [c.source.encode() for c in candidates]
        self.store.record_memo("pool", key, {"candidates": entries}, 0.0, sources)

    def _solve(
        self, contest: Contest, index: int, problem: Problem, candidates: list[Candidate]
    ) -> ProblemOutcome:
        entry = contest.problems[index]
        outcome = ProblemOutcome(entry.label, problem.slug, _display_name(problem))
        counts = [int(c.metadata.get("count", 1)) for c in candidates]
        outcome.samples = sum(counts)
        outcome.distinct = len(candidates)
        clock = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="solver-replay-") as folder:
            result = run_pipeline(
                problem,
                candidates,
                self.judge,
                config=self.config.pipeline,
                scorer=self.scorer,
                workdir=Path(folder),
                store=self.store,
                executor=self.executor,
            )
            outcome.seconds["pipeline"] = round(time.monotonic() - clock, 3)
            clock = time.monotonic()
            verdicts, outcome.judge_time_limit_s = self._judge_survivors(
                problem, result, Path(folder)
            )
        outcome.seconds["judging"] = round(time.monotonic() - clock, 3)
        outcome.time_limit_s = result.time_limit_s
        outcome.compiled = result.compiled
        outcome.survivors = len(result.survivors)
        outcome.inputs = result.inputs
        if result.clustering is not None:
            outcome.clusters = len(result.clustering.clusters)
            outcome.cluster_sizes = [c.size for c in result.clustering.clusters]
            outcome.cluster_members = [list(c.members) for c in result.clustering.clusters]
        outcome.picks = [
            {"rank": p.rank, "candidate": p.candidate, "cluster": p.cluster.id, "score": p.score}
            for p in result.submissions
        ]
        correct = {i for i, verdict in verdicts.items() if verdict == "AC"}
        outcome.correct_survivors = len(correct)
        outcome.correct_samples = sum(counts[i] for i in correct)

        # The contest: picks in rank order until one is accepted.
        slot_start = index * contest.duration_minutes // len(contest.problems)
        for pick in result.submissions:
            verdict = verdicts[pick.candidate]
            outcome.attempts.append(
                Attempt(
                    pick.rank,
                    pick.candidate,
                    candidates[pick.candidate].language,
                    verdict,
                    slot_start + pick.rank,
                )
            )
            if verdict == "AC":
                outcome.solved = True
                rejected = pick.rank - 1
                outcome.penalty_minutes = (
                    slot_start + pick.rank + contest.penalty_minutes * rejected
                )
                break

        for k in PASS_AT:
            if k <= outcome.samples:
                outcome.pass_at_k[str(k)] = round(
                    pass_at_k(outcome.samples, outcome.correct_samples, k), 4
                )
        clock = time.monotonic()
        outcome.n_at_k = self._n_at_k(problem, candidates, counts, result, correct)
        outcome.seconds["n_at_k"] = round(time.monotonic() - clock, 3)
        return outcome

    def _judge_survivors(
        self, problem: Problem, result: PipelineResult, folder: Path
    ) -> tuple[dict[int, str], float]:
        """Hidden-test verdicts of every survivor (picks first, in rank order), each judged
        once and kept in the store, and the judge's time limit. Evaluation only: selection is
        over when this runs."""
        limit = resolve_time_limit(problem, self.judge, default_cache_dir()).seconds
        digest = package_digest(problem.path)
        order = [p.candidate for p in result.submissions]
        order += [i for i in result.survivors if i not in set(order)]

        def verdict_of(index: int) -> str:
            candidate = result.candidates[index]
            key = digest_text(
                "judgement",
                digest,
                candidate.language,
                normalized_source(candidate.source),
                f"{limit:g}",
            )
            known = self.store.memo("judgement", key)
            if known is None:
                started = time.monotonic()
                language = language_by_id(candidate.language)
                path = folder / "judged" / f"c{index:05d}" / f"main{language.extensions[0]}"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(candidate.source, encoding="utf-8")
                judged = self.judge.judge(
                    problem, path, language, tests=problem.tests("all"), time_limit_s=limit
                )
                failed = next((t for t in judged.tests if t.verdict is not Verdict.AC), None)
                known = {
                    "verdict": str(judged.verdict),
                    "test": failed.name if failed else None,
                    "time_limit_s": limit,
                }
                # As with runs: a wall-clock stop depends on the load, so it is not kept.
                by_wall_clock = failed is not None and failed.message.startswith("stopped after")
                if not by_wall_clock:
                    self.store.record_memo("judgement", key, known, time.monotonic() - started)
            return str(known["verdict"])

        # A judgement runs its tests one after another: several at once fill the cores.
        workers = self.config.pipeline.workers or os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return dict(zip(order, pool.map(verdict_of, order), strict=True)), limit

    def _n_at_k(
        self,
        problem: Problem,
        candidates: list[Candidate],
        counts: list[int],
        result: PipelineResult,
        correct: set[int],
    ) -> dict[str, dict[str, float]]:
        clustering = result.clustering
        samples: dict[int, SampleOutcome] = result.samples
        config = self.config.pipeline

        def rank(restricted: Clustering) -> list[int]:
            _, scores = score_candidates(
                restricted, candidates, samples, self.scorer, result.time_limit_s, result.families
            )
            picks = select(
                restricted.clusters,
                scores,
                limit=config.submissions,
                order=config.order,
                families=result.families,
                slow=slow_members(
                    restricted,
                    screened=result.generated is not None and result.generated.screened,
                ),
            )
            return [pick.candidate for pick in picks]

        rng = random.Random(f"n@k:{problem.slug}:{config.seed}")
        return {
            str(k): {
                str(n): round(v, 4)
                for n, v in n_at_k(
                    counts,
                    set(result.survivors),
                    correct,
                    clustering,
                    rank,
                    k,
                    draws=self.config.draws,
                    rng=rng,
                    submissions=SUBMISSIONS_COUNTED,
                ).items()
            }
            for k in sample_sizes(sum(counts))
        }


def _plain(value: object) -> bool:
    return isinstance(value, str | int | float | bool | list | type(None))


def _display_name(problem: Problem) -> str:
    return problem.name or problem.slug
