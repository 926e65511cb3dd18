"""Evaluating selection on the dev problem sets: `python -m solver.evaluate`.

For each problem, a pool is built from the package's own C, C++ and Python submissions (every
expected verdict mixed; the folder names are kept out of the candidates' metadata), and the
pipeline runs on a copy of the package without `data/secret` and `submissions/`. Then, and only
here, the survivors are judged on the hidden tests, which gives:

- the oracle: some survivor is correct (a correct program passes the examples, so this is
  "the pool holds an accepted program" as far as the judge can tell);
- top-1 / top-10 of the solver's submissions, with the scorer cross-validated by problem (each
  fold's scorer is trained on the other problems' records; never on the problem it ranks);
- two baselines from the same runs: a random pick among the survivors (its exact expectation),
  and AlphaCode 1's order, largest cluster first.

`--records FILE` writes one line per survivor (features, cluster, label) for
`solver train-scorer`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.cache import default_cache_dir
from sandbox.errors import LanguageError, SandboxError
from sandbox.judge import Judge
from sandbox.languages import detect_language
from sandbox.problem import Problem, load_problem
from sandbox.timelimit import resolve_time_limit
from sandbox.verdicts import Verdict
from solver.cluster import Cluster
from solver.pipeline import PipelineConfig, Reporter, run_pipeline
from solver.pool import Candidate, merge_identical
from solver.scorer import Scorer, train
from solver.select import select

POOL_LANGUAGES = ("c", "cpp", "python3")
FOLDS = 5


@dataclass
class ProblemRun:
    """One problem's survivors as the evaluation sees them (labels included)."""

    problem: str
    collection: str
    pool: int
    survivors: list[int]
    labels: dict[int, bool]
    clusters: list[Cluster]
    features: dict[int, dict[str, float]]
    seconds: float
    note: str = ""
    families: dict[int, int] = field(default_factory=dict)  # near-identical programs
    slow: set[int] = field(default_factory=set)  # likely too slow for the hidden tests

    @property
    def oracle(self) -> bool:
        return any(self.labels.values())


@dataclass
class Tally:
    problems: int = 0
    oracle: int = 0
    top1: dict[str, float] = field(default_factory=dict)
    top10: dict[str, float] = field(default_factory=dict)

    def add(self, method: str, top1: float, top10: float) -> None:
        self.top1[method] = self.top1.get(method, 0.0) + top1
        self.top10[method] = self.top10.get(method, 0.0) + top10


def pool_of(problem: Problem, *, limit: int, seed: int) -> list[Candidate]:
    """The package's submissions in pool languages, at most `limit` (a seeded sample)."""
    candidates = []
    for submission in problem.submissions:
        if not submission.path.is_file():
            continue
        try:
            language = detect_language(submission.path)
        except LanguageError:
            continue
        if language.id not in POOL_LANGUAGES:
            continue
        source = submission.path.read_text(encoding="utf-8", errors="replace")
        candidates.append(Candidate(language.id, source, {"file": submission.path.name}))
    candidates = merge_identical(candidates)
    random.Random(f"pool:{seed}:{problem.slug}").shuffle(candidates)
    return candidates[:limit]


def visible_copy(problem: Problem, target: Path) -> Problem:
    """The package as the solver may see it: no hidden tests, no submissions."""
    ignore = shutil.ignore_patterns("secret", "submissions")
    shutil.copytree(problem.path, target, ignore=ignore, symlinks=False)
    (target / "data" / "secret").mkdir(exist_ok=True)
    return load_problem(target)


class LabelCache:
    """Hidden-test verdicts by (problem, source, time limit): judging is the slow part."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, str] = json.loads(path.read_text()) if path.is_file() else {}

    @staticmethod
    def key(problem: Problem, candidate: Candidate, time_limit: float) -> str:
        text = f"{problem.slug}\0{candidate.language}\0{candidate.source}\0{time_limit}"
        return hashlib.sha256(text.encode()).hexdigest()

    def save(self) -> None:
        """Merges with what other runs saved meanwhile, and replaces the file atomically, so
        that runs side by side neither lose verdicts nor read a half-written file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError, ValueError):
            self.data = {**json.loads(self.path.read_text()), **self.data}
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(self.data))
        os.replace(partial, self.path)


def label(
    judge: Judge,
    problem: Problem,
    candidate: Candidate,
    time_limit: float,
    workdir: Path,
    cache: LabelCache,
) -> bool:
    """Whether the candidate is accepted on every test (examples and hidden ones)."""
    return hidden_verdict(judge, problem, candidate, time_limit, workdir, cache) == str(Verdict.AC)


def hidden_verdict(
    judge: Judge,
    problem: Problem,
    candidate: Candidate,
    time_limit: float,
    workdir: Path,
    cache: LabelCache,
) -> str:
    """The candidate's verdict on every test, stopping at the first failure (cached)."""
    key = cache.key(problem, candidate, time_limit)
    if key not in cache.data:
        from sandbox.languages import language_by_id

        language = language_by_id(candidate.language)
        workdir.mkdir(parents=True, exist_ok=True)
        path = workdir / f"judge-{key[:12]}{language.extensions[0]}"
        path.write_text(candidate.source, encoding="utf-8")
        result = judge.judge(
            problem, path, language, tests=problem.tests("all"), time_limit_s=time_limit
        )
        cache.data[key] = str(result.verdict)
    return cache.data[key]


def evaluate_problem(
    judge: Judge,
    path: Path,
    collection: str,
    *,
    pool_limit: int,
    inputs: int,
    seed: int,
    labels: LabelCache,
) -> ProblemRun | None:
    started = time.monotonic()
    try:
        problem = load_problem(path)
        problem.require_judgeable()
        if not problem.secret:
            return None
        candidates = pool_of(problem, limit=pool_limit, seed=seed)
        if not candidates:
            return None
        time_limit = resolve_time_limit(problem, judge, default_cache_dir()).seconds
        with tempfile.TemporaryDirectory(prefix="solver-eval-") as folder:
            visible = visible_copy(problem, Path(folder) / problem.slug)
            config = PipelineConfig(inputs=inputs, seed=seed, time_limit_s=time_limit)
            result = run_pipeline(
                visible,
                candidates,
                judge,
                config=config,
                scorer=Scorer.prior(),
                reporter=Reporter(),
                workdir=Path(folder) / "work",
            )
            judged = {
                index: label(judge, problem, candidates[index], time_limit, Path(folder), labels)
                for index in result.survivors
            }
    except SandboxError as error:
        print(f"  skipped {path.name}: {error}", file=sys.stderr)
        return None
    clusters = result.clustering.clusters if result.clustering is not None else []
    return ProblemRun(
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
    )


def _hits(run: ProblemRun, picks: list[int]) -> tuple[float, float]:
    return float(bool(picks) and run.labels[picks[0]]), float(any(run.labels[p] for p in picks))


def random_baseline(run: ProblemRun) -> tuple[float, float]:
    """The exact expectation of picking survivors at random (top-10: ten without repeats)."""
    n = len(run.survivors)
    good = sum(run.labels.values())
    if n == 0:
        return 0.0, 0.0
    k = min(10, n)
    return good / n, 1.0 - math.comb(n - good, k) / math.comb(n, k)


def tabulate(runs: list[ProblemRun], scorers: dict[str, dict[str, Scorer]]) -> dict[str, Tally]:
    """`scorers[method][problem]`: the scorer that ranks that problem under that method."""
    tallies: dict[str, Tally] = {}
    for run in runs:
        tally = tallies.setdefault(run.collection, Tally())
        tally.problems += 1
        tally.oracle += run.oracle
        tally.add("random", *random_baseline(run))
        if not run.survivors:
            for method in (*scorers, "largest-cluster"):
                tally.add(method, 0.0, 0.0)
            continue
        size_picks = select(run.clusters, {}, order="size")
        tally.add("largest-cluster", *_hits(run, [p.candidate for p in size_picks]))
        for method, by_problem in scorers.items():
            scorer = by_problem[run.problem]
            scores = {c: scorer.score(f) for c, f in run.features.items()}
            picks = select(
                run.clusters, scores, order="score", families=run.families, slow=run.slow
            )
            tally.add(method, *_hits(run, [p.candidate for p in picks]))
    return tallies


def cross_validated(runs: list[ProblemRun], *, regularization: float = 1.0) -> dict[str, Scorer]:
    """Per problem, a scorer trained on the folds that do not hold it."""

    def fold(problem: str) -> int:
        return int(hashlib.sha256(problem.encode()).hexdigest(), 16) % FOLDS

    by_fold: dict[int, Scorer] = {}
    for k in range(FOLDS):
        rows, labels = [], []
        for run in runs:
            if fold(run.problem) != k:
                for c in sorted(run.features):
                    rows.append(run.features[c])
                    labels.append(int(run.labels[c]))
        enough = len(set(labels)) == 2
        by_fold[k] = (
            train(rows, labels, regularization=regularization) if enough else Scorer.prior()
        )
    return {run.problem: by_fold[fold(run.problem)] for run in runs}


def print_tables(tallies: dict[str, Tally], methods: list[str]) -> None:
    for collection, tally in tallies.items():
        n = tally.problems
        share = tally.oracle / max(1, n)
        print(f"\n{collection}: {n} problems, oracle {tally.oracle}/{n} = {share:.3f}")
        print(f"  {'method':<28} {'top-1':>14} {'top-10':>14}   (x oracle: top-1, top-10)")
        for method in methods:
            t1, t10 = tally.top1.get(method, 0.0), tally.top10.get(method, 0.0)
            o = max(1, tally.oracle)
            print(
                f"  {method:<28} {t1:5.1f} = {t1 / max(1, n):.3f} {t10:5.1f} = "
                f"{t10 / max(1, n):.3f}   ({t1 / o:.3f}, {t10 / o:.3f})"
            )


def _kattis_problems(root: Path, limit: int | None, skip: int) -> list[Path]:
    folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / "data").is_dir())
    return folders[skip : skip + limit if limit is not None else None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m solver.evaluate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("problems", nargs="*", type=Path, help="problem package folders")
    parser.add_argument("--set", default="given", help="the table's name for PROBLEMS")
    parser.add_argument("--kattis", type=Path, help="a folder of Kattis packages (unpacked)")
    parser.add_argument("--kattis-limit", type=int, default=None)
    parser.add_argument("--kattis-skip", type=int, default=0)
    parser.add_argument("--codeflaws", type=Path, help="codeflaws-dev.jsonl.gz")
    parser.add_argument("--codeflaws-limit", type=int, default=10)
    parser.add_argument("--pool-limit", type=int, default=30, help="candidates per problem")
    parser.add_argument("--inputs", type=int, default=20, help="generated inputs per problem")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--records", type=Path, help="write survivors' features and labels")
    parser.add_argument("--json", type=Path, help="write the tables as JSON")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="solver-evaluate-"))
    targets: list[tuple[Path, str]] = [(p, args.set) for p in args.problems]
    if args.kattis is not None:
        targets += [
            (p, "kattis")
            for p in _kattis_problems(args.kattis, args.kattis_limit, args.kattis_skip)
        ]
    if args.codeflaws is not None:
        from solver.datasets import export_codeflaws

        export_codeflaws(args.codeflaws, work / "codeflaws", limit=args.codeflaws_limit)
        targets += [(p, "codeforces") for p in sorted((work / "codeflaws").iterdir())]

    labels = LabelCache(default_cache_dir() / "evaluate-labels.json")
    runs: list[ProblemRun] = []
    records = args.records.open("w") if args.records is not None else None
    try:
        with LocalBackend(warn=False) as backend:
            judge = Judge(backend, Builder(backend, default_cache_dir()))
            for number, (path, collection) in enumerate(targets, start=1):
                run = evaluate_problem(
                    judge,
                    path,
                    collection,
                    pool_limit=args.pool_limit,
                    inputs=args.inputs,
                    seed=args.seed,
                    labels=labels,
                )
                labels.save()
                if run is None:
                    continue
                runs.append(run)
                good = sum(run.labels.values())
                print(
                    f"[{number}/{len(targets)}] {collection} {run.problem}: pool {run.pool}, "
                    f"{len(run.survivors)} survivors ({good} correct), {len(run.clusters)} "
                    f"clusters, {run.seconds:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
                if records is not None:
                    for c in sorted(run.features):
                        cluster = next(k.id for k in run.clusters if c in k.members)
                        line = {
                            "problem": run.problem,
                            "set": collection,
                            "candidate": c,
                            "cluster": cluster,
                            "features": run.features[c],
                            "label": int(run.labels[c]),
                        }
                        records.write(json.dumps(line) + "\n")
                    records.flush()
    finally:
        if records is not None:
            records.close()
        shutil.rmtree(work, ignore_errors=True)

    scorers: dict[str, dict[str, Scorer]] = {
        "solver (cv scorer)": cross_validated(runs),
        "solver (prior)": {r.problem: Scorer.prior() for r in runs},
    }
    shipped = Scorer.load()
    if shipped.info.get("trained"):
        scorers["solver (shipped, in-sample)"] = {r.problem: shipped for r in runs}
    methods = [*scorers, "largest-cluster", "random"]
    tallies = tabulate(runs, scorers)
    print_tables(tallies, methods)
    if args.json is not None:
        args.json.write_text(json.dumps({k: vars(v) for k, v in tallies.items()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
