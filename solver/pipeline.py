"""The selection pipeline: candidates in, up to ten ranked submissions out.

    build -> filter on data/sample -> generate inputs -> run survivors on them -> properties
          -> clusters -> scores -> stress runs of the leading clusters -> selection

Every candidate runs only in the sandbox (through the judge's builder and the batch API). The
pipeline reads the package's examples, limits, checker, validators and generators; never
`data/secret`, never `submissions/`.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sandbox.judge import Judge
from sandbox.limits import Limits
from sandbox.problem import Problem
from solver.checking import OutputChecker
from solver.cluster import Clustering, cluster, group, run_interactive_on_inputs, run_on_inputs
from solver.executor import LOCAL, Executor
from solver.families import find_families
from solver.filter import (
    Built,
    SampleOutcome,
    build_candidates,
    filter_interactive_on_samples,
    filter_on_samples,
)
from solver.hints import PropertyReport, check_properties, parse_properties
from solver.model_inputs import ModelInputs, ModelInputsPlan, model_inputs
from solver.oracle import Oracle, OracleContext, OracleReport
from solver.pool import Candidate
from solver.prompts import problem_text
from solver.scorer import CandidateFacts, Scorer, candidate_features, family_weights
from solver.select import MAX_SUBMISSIONS, Order, Pick, select, slow_members
from solver.store import Store, digest_bytes, digest_text, package_digest
from solver.stress import stress_leading_clusters
from solver.testgen import FUZZER_VERSION, GeneratedInputs, Progress, generate_inputs

# A legacy package states no time limit; the solver cannot derive one from accepted
# submissions it is not allowed to read, so it assumes a common contest limit.
DEFAULT_TIME_LIMIT_S = 2.0

STAGES = (
    "compile",
    "filter",
    "inputs",
    "run",
    "properties",
    "cluster",
    "score",
    "stress",
    "select",
)


class Reporter:
    """Progress of the stages; the command line prints it, tests may record it."""

    def update(self, stage: str, done: int, total: int) -> None:  # noqa: B027 - optional hook
        """`done` of `total` units of `stage` finished."""

    def finish(self, stage: str, summary: str, seconds: float) -> None:  # noqa: B027
        """`stage` is over."""


@dataclass(frozen=True)
class PipelineConfig:
    inputs: int = 30  # generated inputs wanted
    seed: int = 0
    order: Order = "score"
    properties: tuple[str, ...] = ()
    time_limit_s: float | None = None  # None: the package's own, else DEFAULT_TIME_LIMIT_S
    workers: int | None = None  # parallel runs; None: one per core
    submissions: int = MAX_SUBMISSIONS
    oracle: Oracle | None = None  # questions where the clusters disagree, before selection
    # Also ask the model for input generators and validators (solver/model_inputs.py).
    model_inputs: ModelInputsPlan | None = None


@dataclass
class PipelineResult:
    problem: str
    candidates: list[Candidate]
    compiled: int
    samples: dict[int, SampleOutcome]  # per compiled candidate
    survivors: list[int]  # passed every example
    generated: GeneratedInputs | None
    clustering: Clustering | None  # over the survivors left after the properties
    features: dict[int, dict[str, float]]
    scores: dict[int, float]
    submissions: list[Pick]
    properties: list[PropertyReport]
    time_limit_s: float
    timings: dict[str, float] = field(default_factory=dict)
    oracle: OracleReport | None = None  # the questions asked and what they removed
    # Survivor -> its family of near-identical programs (solver.families), for selection.
    families: dict[int, int] = field(default_factory=dict)
    # Survivors likely too slow for the hidden tests (solver.select.slow_members, and those
    # slow on the stress inputs: solver.stress): picked last.
    slow: set[int] = field(default_factory=set)

    @property
    def inputs(self) -> int:
        return len(self.generated.inputs) if self.generated is not None else 0

    def to_json(self, *, with_sources: bool = True) -> dict[str, Any]:
        clusters = self.clustering.clusters if self.clustering is not None else []
        return {
            "problem": self.problem,
            "candidates": len(self.candidates),
            "compiled": self.compiled,
            "survivors": len(self.survivors),
            "inputs": self.inputs,
            "clusters": len(clusters),
            "time_limit_s": self.time_limit_s,
            "submissions": [
                {
                    "rank": pick.rank,
                    "language": self.candidates[pick.candidate].language,
                    **({"source": self.candidates[pick.candidate].source} if with_sources else {}),
                    "cluster_size": pick.cluster.size,
                    "score": round(pick.score, 4),
                    "candidate": pick.candidate,
                    "slow": pick.candidate in self.slow,
                }
                for pick in self.submissions
            ],
            "properties": [report.to_json() for report in self.properties],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            **({"oracle": self.oracle.to_json()} if self.oracle is not None else {}),
        }


def time_limit_for(problem: Problem, config: PipelineConfig) -> float:
    if config.time_limit_s is not None:
        return config.time_limit_s
    return problem.time_limit.seconds or DEFAULT_TIME_LIMIT_S


def run_pipeline(
    problem: Problem,
    candidates: list[Candidate],
    judge: Judge,
    *,
    config: PipelineConfig | None = None,
    scorer: Scorer | None = None,
    reporter: Reporter | None = None,
    workdir: Path | None = None,
    store: Store | None = None,
    executor: Executor = LOCAL,
) -> PipelineResult:
    """Runs every stage; raises SandboxError on a broken package, PropertyError on a property
    that is not an expression. A pool where nothing survives gives no submissions. With a
    `store`, runs, checker calls and generated inputs already in it are not done again. The
    candidates' runs on the examples and on the generated inputs go through `executor`."""
    config = config or PipelineConfig()
    scorer = scorer or Scorer.load()
    reporter = reporter or Reporter()
    problem.require_judgeable()
    parse_properties(config.properties)  # a typo fails here, before anything runs
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="solver-pipeline-") as folder:
            return _run(
                problem, candidates, judge, config, scorer, reporter, Path(folder), store, executor
            )
    return _run(problem, candidates, judge, config, scorer, reporter, workdir, store, executor)


def _generate(
    problem: Problem, judge: Judge, config: PipelineConfig, workdir: Path, progress: Progress
) -> GeneratedInputs:
    """The fuzzer's and the package generator's inputs, and the model's where it is asked."""
    made = _model_written_inputs(problem, judge, config, workdir / "model-inputs")
    generated = generate_inputs(
        judge.backend,
        judge.builder,
        problem,
        workdir / "inputs",
        count=config.inputs,
        seed=config.seed,
        progress=progress,
        extra=tuple(made.inputs) if made is not None else (),
    )
    if made is not None:
        generated.model = "; ".join([made.summary(), *made.notes])
    return generated


def _model_written_inputs(
    problem: Problem, judge: Judge, config: PipelineConfig, folder: Path
) -> ModelInputs | None:
    plan = config.model_inputs
    if plan is None or problem.interactive:  # an interactive input is the interactor's
        return None
    return model_inputs(
        problem_text(problem),
        [case.input for case in problem.samples],
        plan.settings,
        judge.backend,
        judge.builder,
        folder,
        config=plan.config,
    )


def _stored_inputs(
    store: Store | None,
    problem: Problem,
    folder: Path,
    config: PipelineConfig,
    make: Callable[[], GeneratedInputs],
) -> GeneratedInputs:
    """The generated inputs, made once per package, count and seed when there is a store."""
    if store is None:
        return make()
    key = digest_text(
        "inputs",
        package_digest(problem.path),
        str(config.inputs),
        str(config.seed),
        str(FUZZER_VERSION),
    )
    if config.model_inputs is not None:
        key = digest_text(key, config.model_inputs.key())
    known = store.memo("inputs", key)
    if known is not None:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for number, digest in enumerate(known["inputs"]):
            path = folder / f"gen-{number:04d}.in"
            path.write_bytes(store.blob(digest))
            paths.append(path)
        return GeneratedInputs(
            paths,
            sources=known["sources"],
            rejected_by_validator=known["rejected_by_validator"],
            implausible=known.get("implausible", 0),
            floor=known.get("floor"),
            screened=known.get("screened", False),
            validator=known["validator"],
            generator=known["generator"],
            model=known.get("model", ""),
        )
    started = time.monotonic()
    made = make()
    contents = [path.read_bytes() for path in made.inputs]
    value = {
        "inputs": [digest_bytes(data) for data in contents],
        "sources": made.sources,
        "rejected_by_validator": made.rejected_by_validator,
        "implausible": made.implausible,
        "floor": made.floor,
        "screened": made.screened,
        "validator": made.validator,
        "generator": made.generator,
        "model": made.model,
    }
    store.record_memo("inputs", key, value, time.monotonic() - started, contents)
    return made


def _run(
    problem: Problem,
    candidates: list[Candidate],
    judge: Judge,
    config: PipelineConfig,
    scorer: Scorer,
    reporter: Reporter,
    workdir: Path,
    store: Store | None = None,
    executor: Executor = LOCAL,
) -> PipelineResult:
    backend, builder = judge.backend, judge.builder
    time_limit = time_limit_for(problem, config)
    limits = Limits(time_s=time_limit, memory_mib=problem.memory_mib, output_mib=problem.output_mib)
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def finish(stage: str, summary: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[stage] = now - clock
        clock = now
        reporter.finish(stage, summary, timings[stage])

    def updates(stage: str) -> Callable[[int, int], None]:
        return lambda done, total: reporter.update(stage, done, total)

    built: list[Built] = build_candidates(
        builder,
        candidates,
        workdir / "candidates",
        workers=config.workers or 2,
        progress=updates("compile"),
    )
    programs = {b.index: b.program for b in built if b.program is not None}
    finish("compile", f"{len(programs)} of {len(candidates)} compiled")

    if problem.interactive:  # the interactor judges each run; runs are not cached
        samples = filter_interactive_on_samples(
            backend,
            judge,
            problem,
            built,
            limits,
            workers=config.workers,
            progress=updates("filter"),
        )
    else:
        samples = filter_on_samples(
            backend,
            judge,
            problem,
            built,
            limits,
            workers=config.workers,
            progress=updates("filter"),
            cache=store,
            executor=executor,
        )
    survivors = sorted(i for i, outcome in samples.items() if outcome.passed)
    finish("filter", f"{len(survivors)} of {len(programs)} passed the examples")

    result = PipelineResult(
        problem=problem.slug,
        candidates=candidates,
        compiled=len(programs),
        samples=samples,
        survivors=survivors,
        generated=None,
        clustering=None,
        features={},
        scores={},
        submissions=[],
        properties=[],
        time_limit_s=time_limit,
        timings=timings,
        families=find_families({i: candidates[i].source for i in survivors}),
    )
    if not survivors:
        return result

    generated = _stored_inputs(
        store,
        problem,
        workdir / "inputs",
        config,
        lambda: _generate(problem, judge, config, workdir, updates("inputs")),
    )
    result.generated = generated
    sources = ", ".join(f"{n} {k}" for k, n in sorted(generated.sources.items())) or "none"
    finish(
        "inputs",
        f"{len(generated.inputs)} generated ({sources}); input validator: {generated.validator}; "
        + (
            f"{generated.implausible} dropped for breaking a relation every example keeps; "
            if generated.implausible
            else ""
        )
        + (
            f"statement: no integer below {generated.floor}; "
            if generated.floor is not None
            else ""
        )
        + f"generator: {generated.generator}"
        + (f"; model: {generated.model}" if generated.model else ""),
    )

    # The examples run again with the generated inputs: properties see their answers too.
    inputs = [case.input for case in problem.samples] + generated.inputs
    if problem.interactive:
        interactor = judge.validator_for(problem)
        assert interactor is not None  # the loader requires one
        observations, raw, rejected = run_interactive_on_inputs(
            backend,
            interactor,
            problem.validator_flags,
            {i: programs[i] for i in survivors},
            inputs,
            limits,
            workers=config.workers,
            progress=updates("run"),
        )
    else:
        rejected: set[int] = set()
        observations, raw = run_on_inputs(
            backend,
            {i: programs[i] for i in survivors},
            inputs,
            limits,
            problem.checker_flags,
            workers=config.workers,
            progress=updates("run"),
            cache=store,
            executor=executor,
        )
    finish(
        "run",
        f"{len(survivors)} survivors x {len(inputs)} inputs"
        + (f"; the interactor rejected {len(rejected)} of them" if rejected else ""),
    )
    # Interactive: the interactor judged every run; those it rejected on an input are out.
    survivors = [i for i in survivors if i not in rejected]

    sizes = [path.stat().st_size for path in inputs]
    # None when there is no input at all (examples given only as `.interaction` transcripts).
    largest = max(range(len(inputs)), key=lambda n: (sizes[n], n), default=None)
    with OutputChecker(backend, judge, problem, store) as checker:
        clustering = cluster(
            observations,
            raw,
            survivors,
            inputs,
            problem.checker_flags,
            None if problem.interactive else checker,  # interactive: the classes are final
            largest_input=largest,
        )

    if config.properties:
        dropped, reports = check_properties(
            backend,
            builder,
            config.properties,
            clustering,
            inputs,
            workdir / "properties",
            workers=config.workers,
            progress=updates("properties"),
        )
        result.properties = reports
        if dropped:
            kept = {c: b for c, b in clustering.behaviour.items() if c not in dropped}
            clustering = replace(
                clustering,
                behaviour=kept,
                clusters=group(kept),
                classes=[{c: v for c, v in per.items() if c in kept} for per in clustering.classes],
            )
        finish("properties", "; ".join(report.describe() for report in reports))
    result.clustering = clustering
    dropped_inputs = len(clustering.dropped_inputs)
    families = len({result.families.get(c, c) for c in clustering.behaviour})
    result.slow = slow_members(clustering, screened=generated.screened)
    finish(
        "cluster",
        f"{len(clustering.clusters)} clusters of {len(clustering.behaviour)} candidates "
        f"({families} families of near-identical programs; {len(result.slow)} slow) on "
        f"{len(clustering.kept_inputs)} inputs ({dropped_inputs} dropped: most crashed)",
    )

    result.features, result.scores = score_candidates(
        clustering, candidates, samples, scorer, time_limit, result.families
    )
    trained = "trained" if scorer.info.get("trained") else "untrained prior"
    finish("score", f"{len(result.scores)} candidates scored ({trained})")

    if not problem.interactive:
        stress = stress_leading_clusters(
            backend,
            builder,
            problem,
            clustering,
            result.scores,
            programs,
            limits,
            workdir / "stress",
            seed=config.seed,
            workers=config.workers,
            progress=updates("stress"),
            cache=store,
            executor=executor,
        )
        result.slow |= stress.slow
        finish("stress", stress.summary())

    clusters = clustering.clusters
    if config.oracle is not None:
        programs_left = {i: programs[i] for i in clustering.behaviour}
        context = OracleContext(
            problem,
            judge,
            clustering,
            inputs,
            programs_left,
            limits,
            result.scores,
            workdir / "oracle",
            config.seed,
            config.workers,
            updates("questions"),
            result.families,
            generated.screened,
        )
        result.oracle = config.oracle(context)
        clusters = result.oracle.remaining
        finish("questions", result.oracle.summary())
    result.submissions = select(
        clusters,
        result.scores,
        limit=config.submissions,
        order=config.order,
        families=result.families,
        slow=result.slow,
    )
    finish("select", f"{len(result.submissions)} submissions ({config.order} order)")
    return result


def score_candidates(
    clustering: Clustering,
    candidates: list[Candidate],
    samples: dict[int, SampleOutcome],
    scorer: Scorer,
    time_limit_s: float,
    families: Mapping[int, int] | None = None,
) -> tuple[dict[int, dict[str, float]], dict[int, float]]:
    """Features and the scorer's probability for every clustered candidate; with `families`,
    near-identical programs share one vote in the cluster sizes."""
    features: dict[int, dict[str, float]] = {}
    scores: dict[int, float] = {}
    weights = family_weights(clustering.behaviour, families) if families is not None else None
    for index in clustering.behaviour:
        candidate = candidates[index]
        facts = CandidateFacts(
            language=candidate.language,
            source_length=len(candidate.source),
            sample_time_s=samples[index].max_time_s,
            logprob=candidate.metadata.get("logprob"),
            logprob_tokens=candidate.metadata.get("logprob_tokens"),
        )
        features[index] = candidate_features(index, clustering, facts, time_limit_s, weights)
        scores[index] = scorer.score(features[index])
    return features, scores
