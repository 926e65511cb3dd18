"""The selection benchmark: `solver bench selection PATH... [--hard]`.

For each problem, a pool of programs whose labels the solver never sees, the solver's ranked
picks, and in the same run two baselines over the same survivors:

- `random`: a random pick among the candidates that pass the examples, in exact expectation
  (top-1: correct survivors / survivors; top-10: 1 - C(n - c, k) / C(n, k), k = min(10, n));
- `largest-cluster`: AlphaCode 1's order, one program from each cluster, largest first.

The solver is `solver solve` as shipped (the scorer in `solver/data/scorer.json`, trained on dev
data, so in-sample there) and the same pipeline with a scorer cross-validated by problem over
this run's own pools, by the shipped scorer's recipe (`solver (cv scorer)`: each problem ranked
by a scorer that never saw it).

Pools. By default: the package's C, C++ and Python submissions, every verdict mixed (the
evaluation's pool, `solver.evaluate.pool_of`). With `--hard`: one accepted program (a seeded
choice), every submission that is not accepted, and near-miss mutants of the *other* accepted
programs that fail some hidden test (at least `--mutants`, 20, where the problem allows): a
mutant is never pooled with the program it was made from, which would be the textual centre
of its mutants, as no model's pool is.

Scores are counted against the oracle: the problems where some pooled program is correct (a
correct program passes the examples, so the survivors' labels decide it). The labels come from
the hidden tests and are read here only, after the pipeline has picked.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sandbox.cache import default_cache_dir
from sandbox.errors import SandboxError
from sandbox.judge import Judge
from sandbox.problem import Problem, load_problem
from sandbox.timelimit import resolve_time_limit
from solver.evaluate import (
    POOL_LANGUAGES,
    LabelCache,
    ProblemRun,
    cross_validated,
    hidden_verdict,
    pool_of,
    random_baseline,
    visible_copy,
)
from solver.mutate import Mutant, generate_near_misses, read_program
from solver.pipeline import PipelineConfig, Reporter, run_pipeline
from solver.pool import Candidate, merge_identical, normalized_source
from solver.scorer import Scorer
from solver.select import select
from solver.store import Store

SOLVER = "solver"
SOLVER_CV = "solver (cv scorer)"
LARGEST = "largest-cluster"
RANDOM = "random"
METHODS = (SOLVER, SOLVER_CV, LARGEST, RANDOM)

Log = Callable[[str], None]


@dataclass(frozen=True)
class BenchConfig:
    hard: bool = False
    mutants: int = 20  # labelled-wrong mutants wanted per problem with --hard
    max_tried: int = 160  # mutants compiled at most per problem
    pool_limit: int = 30  # candidates per problem without --hard (as solver.evaluate)
    inputs: int = 20  # generated inputs per problem
    seed: int = 0


@dataclass
class HardPool:
    candidates: list[Candidate]
    accepted: Candidate | None  # the one accepted program pooled
    mutants: list[Mutant]
    wrong_submissions: int
    note: str = ""
    tried: int = 0  # mutants compiled


@dataclass
class BenchRun(ProblemRun):
    mutants: set[int] = field(default_factory=set)  # pool indices of near-miss mutants


@dataclass
class ProblemRow:
    """One problem's line of the benchmark: its pool, its hits per method, or its error."""

    problem: str
    collection: str
    pool: int = 0
    mutants: int = 0
    mutants_tried: int = 0
    survivors: int = 0
    correct_survivors: int = 0
    clusters: int = 0
    oracle: bool = False
    top1: dict[str, float] = field(default_factory=dict)
    top10: dict[str, float] = field(default_factory=dict)
    # 1.0 where the solver's first pick's cluster holds a correct survivor: a top-1 miss there
    # is a pick among programs that gave the same answers on every input run.
    first_cluster_correct: float = 0.0
    seconds: float = 0.0
    counted: bool = False  # False: skipped (no hidden tests, unsupported) or crashed
    error: str = ""
    note: str = ""


def _seeded(seed: int, *parts: object) -> random.Random:
    text = ":".join(str(p) for p in (seed, *parts))
    return random.Random(int(hashlib.sha256(text.encode()).hexdigest()[:16], 16))


def _programs(problem: Problem, accepted: bool) -> list[Candidate]:
    """The package's C, C++ and Python submissions, accepted ones or every other one."""
    programs = []
    for submission in problem.submissions:
        if (submission.expected == "accepted") != accepted or not submission.path.is_file():
            continue
        program = read_program(submission.path)
        if program is not None and program.language in POOL_LANGUAGES:
            programs.append(program)
    return merge_identical(programs)


def hard_pool(
    judge: Judge,
    problem: Problem,
    config: BenchConfig,
    time_limit_s: float,
    labels: LabelCache,
    workdir: Path,
    log: Log,
) -> HardPool:
    """One accepted program, every other submission, and wrong mutants of the other accepted
    programs (never of the pooled one)."""
    accepted = _programs(problem, accepted=True)
    wrong = _programs(problem, accepted=False)
    if not accepted:
        return HardPool(wrong, None, [], len(wrong), "no accepted C, C++ or Python program")
    chosen = _seeded(config.seed, "accepted", problem.slug).choice(accepted)
    others = [a for a in accepted if a is not chosen]
    mutants: list[Mutant] = []
    note = ""
    tried = 0
    if not others:
        note = "one accepted program: no mutants"
    else:

        def fails_hidden(batch: list[Mutant]) -> list[Mutant]:
            kept = []
            for mutant in batch:
                verdict = hidden_verdict(
                    judge, problem, mutant.candidate, time_limit_s, workdir, labels
                )
                if verdict != "AC":
                    kept.append(mutant)
            labels.save()
            return kept

        near = generate_near_misses(
            judge,
            problem,
            others,
            wanted=config.mutants,
            seed=config.seed,
            time_limit_s=time_limit_s,
            max_tried=config.max_tried,
            accept=fails_hidden,
            progress=lambda done, total: log(f"    {done}/{total} wrong mutants"),
        )
        mutants, tried = near.mutants, near.tried
        if len(mutants) < config.mutants:
            note = f"{len(mutants)} wrong mutants of {tried} tried"
    pooled = [chosen, *wrong]
    keys = {normalized_source(c.source) for c in pooled}
    mutants = [m for m in mutants if normalized_source(m.candidate.source) not in keys]
    check_no_original(chosen, mutants, others)
    candidates = pooled + [m.candidate for m in mutants]
    _seeded(config.seed, "order", problem.slug).shuffle(candidates)
    return HardPool(candidates, chosen, mutants, len(wrong), note, tried)


def check_no_original(pooled: Candidate, mutants: list[Mutant], originals: list[Candidate]) -> None:
    """A mutant is never pooled with the program it was made from."""
    for mutant in mutants:
        origin = originals[mutant.origin]
        if normalized_source(origin.source) == normalized_source(pooled.source):
            raise AssertionError(f"a mutant of {origin.metadata.get('file')} pooled with it")


def _picks_hits(labels: dict[int, bool], picks: list[int]) -> tuple[float, float]:
    return float(bool(picks) and labels[picks[0]]), float(any(labels[p] for p in picks))


def score_run(run: ProblemRun, scorers: dict[str, Scorer]) -> dict[str, tuple[float, float]]:
    """Top-1 and top-10 of each method on one problem's survivors."""
    hits: dict[str, tuple[float, float]] = {RANDOM: random_baseline(run)}
    if not run.survivors:
        for method in (*scorers, LARGEST):
            hits[method] = (0.0, 0.0)
        return hits
    by_size = select(run.clusters, {}, order="size")
    hits[LARGEST] = _picks_hits(run.labels, [p.candidate for p in by_size])
    for method, scorer in scorers.items():
        scores = {c: scorer.score(f) for c, f in run.features.items()}
        picks = select(run.clusters, scores, order="score", families=run.families, slow=run.slow)
        hits[method] = _picks_hits(run.labels, [p.candidate for p in picks])
    return hits


def bench_problem(
    judge: Judge,
    path: Path,
    collection: str,
    config: BenchConfig,
    labels: LabelCache,
    log: Log,
    store: Store | None = None,
) -> tuple[ProblemRow, BenchRun | None]:
    """One problem's row; any failure is caught and reported in the row."""
    started = time.monotonic()
    row = ProblemRow(problem=path.name, collection=collection)
    try:
        run = _bench_problem(judge, path, collection, config, labels, log, row, store)
    except SandboxError as error:
        row.error = f"skipped: {error}"
        run = None
    except Exception as error:  # noqa: BLE001 - one problem's crash must not stop the run
        where = traceback.extract_tb(error.__traceback__)[-1]
        row.error = f"{type(error).__name__}: {error} ({Path(where.filename).name}:{where.lineno})"
        run = None
    row.seconds = time.monotonic() - started
    return row, run


def _bench_problem(
    judge: Judge,
    path: Path,
    collection: str,
    config: BenchConfig,
    labels: LabelCache,
    log: Log,
    row: ProblemRow,
    store: Store | None,
) -> BenchRun | None:
    started = time.monotonic()
    problem = load_problem(path)
    row.problem = problem.slug
    problem.require_judgeable()
    if not problem.secret:
        row.note = "no hidden tests"
        return None
    time_limit = resolve_time_limit(problem, judge, default_cache_dir()).seconds
    with tempfile.TemporaryDirectory(prefix="solver-bench-") as folder:
        work = Path(folder)
        if config.hard:
            pool = hard_pool(judge, problem, config, time_limit, labels, work / "judged", log)
            candidates = pool.candidates
            row.mutants = len(pool.mutants)
            row.mutants_tried = pool.tried
            row.note = pool.note
        else:
            candidates = pool_of(problem, limit=config.pool_limit, seed=config.seed)
        row.pool = len(candidates)
        if not candidates:
            row.note = row.note or "no C, C++ or Python submissions"
            return None
        visible = visible_copy(problem, work / "visible" / problem.slug)
        result = run_pipeline(
            visible,
            candidates,
            judge,
            config=PipelineConfig(inputs=config.inputs, seed=config.seed, time_limit_s=time_limit),
            scorer=Scorer.load(),
            reporter=Reporter(),
            workdir=work / "pipeline",
            store=store,
        )

        # Only now, after the picks, are the survivors' labels read: one judgement per core.
        def accepted(index: int) -> bool:
            verdict = hidden_verdict(
                judge, problem, candidates[index], time_limit, work / "judged", labels
            )
            return verdict == "AC"

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as judges:
            verdicts = judges.map(accepted, result.survivors)
            judged = dict(zip(result.survivors, verdicts, strict=True))
        labels.save()
    clusters = result.clustering.clusters if result.clustering is not None else []
    mutant_sources = {m.candidate for m in pool.mutants} if config.hard else set()
    run = BenchRun(
        problem=problem.slug,
        collection=collection,
        pool=len(candidates),
        survivors=result.survivors,
        labels=judged,
        clusters=clusters,
        features=result.features,
        seconds=time.monotonic() - started,
        families=result.families,
        slow=result.slow,
        mutants={i for i, c in enumerate(candidates) if c in mutant_sources},
    )
    row.survivors = len(result.survivors)
    row.correct_survivors = sum(judged.values())
    row.clusters = len(clusters)
    row.oracle = run.oracle
    row.counted = True
    shipped = [p.candidate for p in result.submissions]
    row.top1[SOLVER], row.top10[SOLVER] = _picks_hits(judged, shipped) if shipped else (0.0, 0.0)
    if result.submissions:
        first = result.submissions[0].cluster.members
        row.first_cluster_correct = float(any(judged.get(m, False) for m in first))
    for method, (t1, t10) in score_run(run, {}).items():
        row.top1[method], row.top10[method] = t1, t10
    return run


# --- Problem sets ----------------------------------------------------------------------------


def _is_package(path: Path) -> bool:
    return (path / "data").is_dir() or (path / "problem.yaml").is_file()


def _set_name(folder: Path, packages: list[Path]) -> str:
    """A folder of Codeflaws exports is "codeforces"; any other set is named by its folder."""

    def source(package: Path) -> str:
        try:
            config = yaml.safe_load((package / "problem.yaml").read_text()) or {}
        except (OSError, yaml.YAMLError):
            return ""
        return str(config.get("source", "")) if isinstance(config, dict) else ""

    if packages and all(source(p).startswith("Codeforces (via Codeflaws)") for p in packages[:3]):
        return "codeforces"
    return folder.resolve().name


def problem_sets(
    paths: list[Path], *, limit: int | None = None, seed: int = 0
) -> list[tuple[Path, str]]:
    """(package, set name) for every PATH: a package, a folder of packages, or a folder of
    Codeflaws exports. With `limit`, a seeded sample of that many packages per folder."""
    targets: list[tuple[Path, str]] = []
    for path in paths:
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no such folder")
        if _is_package(path):
            targets.append((path, _set_name(path.parent, [path])))
            continue
        packages = sorted(p for p in path.iterdir() if p.is_dir() and _is_package(p))
        if not packages:
            raise FileNotFoundError(f"{path}: neither a problem package nor a folder of them")
        if limit is not None and limit < len(packages):
            packages = sorted(_seeded(seed, "sample", path.name).sample(packages, limit))
        name = _set_name(path, packages)
        targets += [(p, name) for p in packages]
    return targets


# --- The run and its report -------------------------------------------------------------------


@dataclass
class SetSummary:
    name: str
    problems: int = 0  # counted
    skipped: int = 0  # no hidden tests, unsupported, or crashed
    oracle: int = 0
    top1: dict[str, float] = field(default_factory=dict)
    top10: dict[str, float] = field(default_factory=dict)
    first_cluster_correct: float = 0.0  # problems whose first pick's cluster holds a correct one
    mutants: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def share(self, value: float) -> float:
        return value / self.problems if self.problems else 0.0

    def of_oracle(self, value: float) -> float:
        return value / self.oracle if self.oracle else 0.0

    def to_json(self) -> dict[str, Any]:
        methods = sorted(self.top1)
        return {
            "problems": self.problems,
            "skipped": self.skipped,
            "oracle": self.oracle,
            "methods": {
                m: {
                    "top1": round(self.share(self.top1[m]), 4),
                    "top10": round(self.share(self.top10[m]), 4),
                    "top1_of_oracle": round(self.of_oracle(self.top1[m]), 4),
                    "top10_of_oracle": round(self.of_oracle(self.top10[m]), 4),
                }
                for m in methods
            },
            "solver_first_cluster_correct_of_oracle": round(
                self.of_oracle(self.first_cluster_correct), 4
            ),
            "mutants_per_problem": _spread(self.mutants),
            "seconds_per_problem": _spread(self.seconds),
        }


def _spread(values: list[float] | list[int]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "min": round(float(ordered[0]), 1),
        "median": round(float(ordered[len(ordered) // 2]), 1),
        "mean": round(sum(ordered) / len(ordered), 1),
        "max": round(float(ordered[-1]), 1),
        "total": round(float(sum(ordered)), 1),
    }


@dataclass
class BenchResult:
    config: BenchConfig
    rows: list[ProblemRow]
    sets: dict[str, SetSummary]
    runs: list[ProblemRun] = field(default_factory=list)  # survivors, features and labels

    def to_json(self) -> dict[str, Any]:
        return {
            "config": asdict(self.config),
            "sets": {name: summary.to_json() for name, summary in self.sets.items()},
            "problems": [asdict(row) for row in self.rows],
        }


def summarise(rows: list[ProblemRow]) -> dict[str, SetSummary]:
    sets: dict[str, SetSummary] = {}
    for row in rows:
        summary = sets.setdefault(row.collection, SetSummary(row.collection))
        if not row.counted:
            summary.skipped += 1
            continue
        summary.problems += 1
        summary.oracle += row.oracle
        summary.mutants.append(row.mutants)
        summary.seconds.append(row.seconds)
        summary.first_cluster_correct += row.first_cluster_correct
        for method in METHODS:
            if method in row.top1:
                summary.top1[method] = summary.top1.get(method, 0.0) + row.top1[method]
                summary.top10[method] = summary.top10.get(method, 0.0) + row.top10[method]
    return sets


def run_benchmark(
    judge: Judge,
    targets: list[tuple[Path, str]],
    config: BenchConfig,
    *,
    log: Log = lambda line: print(line, file=sys.stderr, flush=True),
    on_progress: Callable[[BenchResult], None] | None = None,
    store: Store | None = None,
) -> BenchResult:
    """Every target in turn; `on_progress` gets the result so far after each problem (a long
    run stopped early keeps its report). With `store`, runs, checker calls and generated inputs
    already in it are not done again: a stopped benchmark resumes where it was."""
    labels = LabelCache(default_cache_dir() / "evaluate-labels.json")
    rows: list[ProblemRow] = []
    runs: list[BenchRun] = []
    for number, (path, collection) in enumerate(targets, start=1):
        log(f"[{number}/{len(targets)}] {collection} {path.name} ...")
        row, run = bench_problem(judge, path, collection, config, labels, log, store)
        rows.append(row)
        if run is not None:
            runs.append(run)
        log(f"[{number}/{len(targets)}] {describe_row(row)}")
        if on_progress is not None and number < len(targets):
            on_progress(_result(config, rows, runs))
    return _result(config, rows, runs)


def _result(config: BenchConfig, rows: list[ProblemRow], runs: list[BenchRun]) -> BenchResult:
    # The cross-validated scorer needs every problem's features: it is applied at the end.
    if runs:
        # The shipped scorer's own recipe (its regularization), trained without the problem.
        recipe = float(Scorer.load().info.get("regularization", 1.0))
        scorers = cross_validated(runs, regularization=recipe)
        by_problem = {(r.collection, r.problem): r for r in runs}
        for row in rows:
            run = by_problem.get((row.collection, row.problem))
            if run is not None:
                hits = score_run(run, {SOLVER_CV: scorers[run.problem]})[SOLVER_CV]
                row.top1[SOLVER_CV], row.top10[SOLVER_CV] = hits
    return BenchResult(config, list(rows), summarise(rows), list(runs))


def write_records(result: BenchResult, path: Path) -> None:
    """One line per survivor, as `python -m solver.evaluate --records` writes them, for
    `solver train-scorer`; `mutant` says which are near misses (for analysis only)."""
    with path.open("w", encoding="utf-8") as out:
        for run in result.runs:
            for candidate in sorted(run.features):
                cluster = next(k.id for k in run.clusters if candidate in k.members)
                record = {
                    "problem": run.problem,
                    "set": run.collection,
                    "candidate": candidate,
                    "cluster": cluster,
                    "features": run.features[candidate],
                    "label": int(run.labels[candidate]),
                    "mutant": isinstance(run, BenchRun) and candidate in run.mutants,
                    "family": run.families.get(candidate, candidate),
                    "slow": candidate in run.slow,
                }
                out.write(json.dumps(record) + "\n")


def describe_row(row: ProblemRow) -> str:
    head = f"{row.collection} {row.problem}"
    if row.error:
        return f"{head}: {row.error} ({row.seconds:.0f} s)"
    if not row.counted:
        return f"{head}: {row.note or 'not counted'} ({row.seconds:.0f} s)"
    solver = f"solver {row.top1.get(SOLVER, 0):.0f}/{row.top10.get(SOLVER, 0):.0f}"
    mutants = f" ({row.mutants} mutants)" if row.mutants else ""
    note = f"; {row.note}" if row.note else ""
    return (
        f"{head}: pool {row.pool}{mutants}, {row.survivors} survivors "
        f"({row.correct_survivors} correct), {row.clusters} clusters, {solver}, "
        f"random {row.top1.get(RANDOM, 0):.2f}/{row.top10.get(RANDOM, 0):.2f}, "
        f"{row.seconds:.0f} s{note}"
    )


def table(result: BenchResult) -> str:
    mode = "hard pools" if result.config.hard else "submission pools"
    lines = []
    for name, summary in result.sets.items():
        n, o = summary.problems, summary.oracle
        skipped = f", {summary.skipped} not counted" if summary.skipped else ""
        lines.append(
            f"{name} ({mode}): {n} problems{skipped}; oracle {o}/{n} = {summary.share(o):.3f}"
        )
        lines.append(
            f"  {'method':<20} {'top-1':>7} {'top-10':>7}   {'x oracle: top-1':>15} top-10"
        )
        for method in METHODS:
            if method not in summary.top1:
                continue
            t1, t10 = summary.top1[method], summary.top10[method]
            lines.append(
                f"  {method:<20} {summary.share(t1):7.3f} {summary.share(t10):7.3f}   "
                f"{summary.of_oracle(t1):15.3f} {summary.of_oracle(t10):6.3f}"
            )
        if SOLVER in summary.top1:
            share = summary.of_oracle(summary.first_cluster_correct)
            lines.append(
                f"  solver's first cluster holds a correct program: {share:.3f} x oracle "
                "(top-1 short of it: wrong picks inside that cluster)"
            )
        if summary.mutants and result.config.hard:
            spread = _spread(summary.mutants)
            lines.append(
                f"  mutants per problem: min {spread['min']:.0f}, median {spread['median']:.0f}, "
                f"max {spread['max']:.0f}"
            )
        seconds = _spread(summary.seconds)
        if seconds:
            lines.append(
                f"  seconds per problem: median {seconds['median']:.0f}, mean "
                f"{seconds['mean']:.0f}, max {seconds['max']:.0f}, total {seconds['total']:.0f}"
            )
        lines.append("")
    failed = [row for row in result.rows if row.error]
    if failed:
        lines.append("not counted:")
        lines += [f"  {describe_row(row)}" for row in failed]
    return "\n".join(lines).rstrip() + "\n"


def plot(result: BenchResult, target: Path) -> None:
    """Top-1 and top-10 as a share of the oracle, per set and method (a PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sets = list(result.sets.values())
    figure, axes = plt.subplots(1, max(1, len(sets)), figsize=(5.5 * max(1, len(sets)), 4))
    axes_list = list(axes) if hasattr(axes, "__iter__") else [axes]
    width = 0.2
    for axis, summary in zip(axes_list, sets, strict=False):
        methods = [m for m in METHODS if m in summary.top1]
        for offset, method in enumerate(methods):
            values = [
                summary.of_oracle(summary.top1[method]),
                summary.of_oracle(summary.top10[method]),
            ]
            positions = [k + (offset - (len(methods) - 1) / 2) * width for k in range(2)]
            axis.bar(positions, values, width, label=method)
        axis.set_xticks([0, 1], ["top-1", "top-10"])
        axis.set_ylim(0, 1.05)
        axis.set_ylabel("share of the oracle")
        mode = "hard" if result.config.hard else "submissions"
        axis.set_title(
            f"{summary.name} ({mode}): {summary.problems} problems, oracle {summary.oracle}"
        )
        axis.axhline(1.0, color="grey", linewidth=0.5)
    if sets:
        axes_list[0].legend(loc="lower left", fontsize=8)
    figure.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=100)
    plt.close(figure)


def write_report(result: BenchResult, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "selection.txt", folder / "selection.json", folder / "selection.png"]
    written[0].write_text(table(result))
    written[1].write_text(json.dumps(result.to_json(), indent=2))
    plot(result, written[2])
    return written
