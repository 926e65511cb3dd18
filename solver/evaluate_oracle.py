"""Measuring the questions: `python -m solver.evaluate_oracle`.

Per problem, as `solver.evaluate` does: a pool of the package's own C, C++ and Python
submissions, the pipeline on a copy without hidden tests or submissions, the survivors judged
on the hidden tests afterwards. Oracles answer the questions on the same clustering:

- a simulated person who answers from a hidden accepted program (a package submission kept
  out of the pool, never shown to the solver: it only runs, in the sandbox, on the questions'
  inputs), asked at most `--max-questions` times;
- where the package has a `time_limit_exceeded` submission, that program as the trusted
  brute force (`--oracle-program`), also kept out of the pool;
- with `--careful`, a person who also skips inputs on which a second hidden accepted program
  disagrees (a person knows when an input breaks the statement's promises).

With `--hard`, the pools are the selection benchmark's near-miss pools (`solver.benchmark`):
one accepted program, every wrong one and wrong mutants of the other accepted programs, which
answer as the person (a problem with one accepted program has no one to answer and is left
out). The person's own mutants are taken out of the pool, so that the person stays hidden.

Each problem gives one JSON line (`--out`): the oracle (some survivor is correct), top-1
without questions, top-1 after each oracle's questions, and the number of questions asked.
`--summary FILE` prints the tables from such lines (also from a run still going).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.cache import default_cache_dir
from sandbox.errors import LanguageError, SandboxError
from sandbox.judge import Judge
from sandbox.languages import detect_language
from sandbox.problem import Problem, Submission, load_problem
from sandbox.timelimit import resolve_time_limit
from sandbox.verdicts import Verdict
from solver.benchmark import BenchConfig, hard_pool
from solver.checking import OutputChecker
from solver.evaluate import (
    POOL_LANGUAGES,
    LabelCache,
    _kattis_problems,
    label,
    pool_of,
    visible_copy,
)
from solver.oracle import (
    DEFAULT_MAX_QUESTIONS,
    Answer,
    Oracle,
    OracleContext,
    OracleReport,
    ProgramOracle,
    Question,
    QuestionRecord,
)
from solver.pipeline import PipelineConfig, Reporter, run_pipeline
from solver.pool import Candidate, normalized_source
from solver.scorer import Scorer
from solver.select import select


def _programs(problem: Problem, expected: str) -> list[Submission]:
    """The package's submissions in `expected`, compiled languages first (they answer fast)."""
    found = []
    for submission in problem.submissions:
        if submission.expected != expected or not submission.path.is_file():
            continue
        try:
            language = detect_language(submission.path).id
        except LanguageError:
            continue
        if language in POOL_LANGUAGES:
            found.append((language == "python3", submission.path.name, submission))
    return [s for _, _, s in sorted(found, key=lambda item: item[:2])]


def _source(submission: Submission) -> str:
    return submission.path.read_text(encoding="utf-8", errors="replace")


def _hard_candidates(
    judge: Judge,
    problem: Problem,
    accepted: list[Submission],
    brutes: list[Submission],
    seed: int,
    time_limit: float,
    labels: LabelCache,
    workdir: Path,
) -> tuple[list[Candidate], list[Submission]]:
    """The benchmark's near-miss pool (`solver bench selection --hard`: one accepted program,
    every wrong one, wrong mutants of the other accepted programs) without the brute force;
    and the accepted programs left out of it, which can answer as the person, those with the
    fewest mutants in the pool first. The person's own mutants are taken out of the pool: a
    program one token away from the person's is the person's program shown to the solver, and
    on an input that breaks the statement's promises it agrees with the person where the
    pooled correct program need not."""
    pool = hard_pool(
        judge,
        problem,
        BenchConfig(hard=True, seed=seed),
        time_limit,
        labels,
        workdir / "judged",
        lambda _: None,
    )
    pooled = normalized_source(pool.accepted.source) if pool.accepted is not None else None
    people = [s for s in accepted if normalized_source(_source(s)) != pooled]
    return hide_the_person(leave_out(pool.candidates, brutes[:1]), people)


def pool_without(
    problem: Problem, hidden: list[Submission], *, limit: int, seed: int
) -> list[Candidate]:
    """The evaluation's pool (`solver.evaluate.pool_of`) without the hidden programs."""
    pool = pool_of(problem, limit=limit + len(hidden), seed=seed)
    return leave_out(pool, hidden)[:limit]


def leave_out(candidates: list[Candidate], hidden: list[Submission]) -> list[Candidate]:
    """The candidates that are none of the hidden programs. A pool holds each program as
    `normalized_source` made it (line endings, trailing spaces), so both sides are compared
    in that form."""
    sources = {normalized_source(_source(s)) for s in hidden}
    return [c for c in candidates if normalized_source(c.source) not in sources]


def hide_the_person(
    candidates: list[Candidate], people: list[Submission]
) -> tuple[list[Candidate], list[Submission]]:
    """The people, those with the fewest mutants among the candidates first (stable), and the
    candidates without the first one's mutants (a mutant's metadata names its origin file)."""
    mutants_of = Counter(c.metadata.get("origin") for c in candidates)
    people = sorted(people, key=lambda s: mutants_of[s.path.name])
    if not people:
        return candidates, people
    person = people[0].path.name
    return [c for c in candidates if c.metadata.get("origin") != person], people


class CarefulPerson(ProgramOracle):
    """A person who knows the problem's promises: answers from one hidden accepted program, but
    skips an input on which a second one prints an answer the checker rejects (correct programs
    disagree only where the input breaks the statement's promises, which the fuzzer can do)."""

    name = "careful person"

    def __init__(self, source: Path, second: Path) -> None:
        super().__init__(source)
        self.second = ProgramOracle(second)

    def prepare(self, context: OracleContext) -> None:
        super().prepare(context)
        self.second.prepare(context)

    def answer(self, question: Question) -> Answer:
        first = super().answer(question)
        if first.kind != "output":
            return first
        other = self.second.answer(question)
        if other.kind != "output":
            return Answer("skip", note="a second correct program fails on it")
        assert self._context is not None
        context = self._context
        with OutputChecker(context.judge.backend, context.judge, context.problem) as checker:
            verdict, _ = checker.check(question.input_path, first.output, other.output)
        if verdict is not Verdict.AC:
            return Answer("skip", note="two correct programs disagree: not a valid input")
        return first


class _Several:
    """The pipeline's oracle hook: runs each named oracle on the same clustering and keeps
    its report; the pipeline itself ranks without questions."""

    def __init__(self, oracles: dict[str, Oracle]) -> None:
        self.oracles = oracles
        self.reports: dict[str, OracleReport] = {}

    def __call__(self, context: OracleContext) -> OracleReport:
        for name, oracle in self.oracles.items():
            try:
                self.reports[name] = oracle(context)
            except Exception as error:  # noqa: BLE001 - one oracle's failure is a data point
                print(f"  {name} failed: {type(error).__name__}: {error}", file=sys.stderr)
        clusters = context.clustering.clusters
        return OracleReport([], list(clusters), set(), "measured apart", 0)


def evaluate_problem(
    judge: Judge,
    path: Path,
    collection: str,
    *,
    pool_limit: int,
    inputs: int,
    seed: int,
    max_questions: int,
    careful: bool = False,
    hard: bool = False,
    labels: LabelCache,
    workdir: Path,
) -> dict[str, Any] | None:
    started = time.monotonic()
    problem = load_problem(path)
    problem.require_judgeable()
    if not problem.secret:
        return None
    accepted = _programs(problem, "accepted")
    if not accepted:
        return None
    brutes = _programs(problem, "time_limit_exceeded")
    time_limit = resolve_time_limit(problem, judge, default_cache_dir()).seconds
    if hard:
        candidates, accepted = _hard_candidates(
            judge, problem, accepted, brutes, seed, time_limit, labels, workdir
        )
        if not accepted:
            return None  # one accepted program, and it is pooled: no one to answer
    else:
        hidden = accepted[: 2 if careful else 1] + brutes[:1]
        candidates = pool_without(problem, hidden, limit=pool_limit, seed=seed)
    if not candidates:
        return None
    oracles = {
        "person": Oracle(ProgramOracle(accepted[0].path), max_questions=max_questions),
    }
    if careful and len(accepted) > 1:
        careful = CarefulPerson(accepted[0].path, accepted[1].path)
        oracles["careful"] = Oracle(careful, max_questions=max_questions)
    if brutes:
        oracles["brute"] = Oracle(ProgramOracle(brutes[0].path), max_questions=max_questions)
    several = _Several(oracles)
    with tempfile.TemporaryDirectory(prefix="solver-oracle-eval-") as folder:
        visible = visible_copy(problem, Path(folder) / problem.slug)
        config = PipelineConfig(inputs=inputs, seed=seed, time_limit_s=time_limit, oracle=several)
        result = run_pipeline(
            visible,
            candidates,
            judge,
            config=config,
            scorer=Scorer.load(),
            reporter=Reporter(),
            workdir=Path(folder) / "work",
        )
        judged = {
            index: label(judge, problem, candidates[index], time_limit, Path(folder), labels)
            for index in result.survivors
        }
    clusters = result.clustering.clusters if result.clustering is not None else []

    def top1(kept: list[Any]) -> bool:
        picks = select(kept, result.scores, limit=1, families=result.families, slow=result.slow)
        return bool(picks) and judged[picks[0].candidate]

    line: dict[str, Any] = {
        "problem": problem.slug,
        "set": collection,
        "pool": len(candidates),
        "survivors": len(result.survivors),
        "correct": sum(judged.values()),
        "clusters": len(clusters),
        "oracle": any(judged.values()),
        "top1": top1(clusters),
        # Per cluster, by the solver's order: [size, correct members, best score] (reading aid).
        "ranked_clusters": [
            [p.cluster.size, sum(judged[m] for m in p.cluster.members), round(p.score, 3)]
            for p in select(clusters, result.scores, limit=len(clusters))
        ],
        "person_program": accepted[0].name,
        "second_program": accepted[1].name if careful and len(accepted) > 1 else None,
        "brute_program": brutes[0].name if brutes else None,
    }
    for name, report in several.reports.items():
        line[f"{name}_top1"] = top1(report.remaining)
        line[f"{name}_asked"] = report.asked
        line[f"{name}_skipped"] = sum(r.answer == "skip" for r in report.records)
        line[f"{name}_clusters_left"] = len(report.remaining)
        line[f"{name}_ended"] = report.ended
        line[f"{name}_correct_removed"] = sum(judged.get(c, False) for c in report.removed)
        line[f"{name}_questions"] = [_question_line(r, clusters, judged) for r in report.records]
        line[f"{name}_remaining"] = [
            [p.cluster.size, sum(judged[m] for m in p.cluster.members), round(p.score, 3)]
            for p in select(
                report.remaining,
                result.scores,
                limit=len(report.remaining),
                families=result.families,
                slow=result.slow,
            )
        ]
        picks = select(
            report.remaining, result.scores, limit=1, families=result.families, slow=result.slow
        )
        line[f"{name}_pick"] = (
            candidates[picks[0].candidate].metadata.get("file") if picks else None
        )
    line["seconds"] = round(time.monotonic() - started, 1)
    return line


def _question_line(
    record: QuestionRecord, clusters: list[Any], judged: dict[int, bool]
) -> dict[str, Any]:
    """One question for the evaluation's lines: the input, the answer, and for each choice
    its clusters' correct/total members, over whole clusters as clustering made them (hidden
    labels: for reading the results only)."""
    by_id = {c.id: c for c in clusters}

    def tally(ids: list[int]) -> list[int]:
        members = [m for i in ids if i in by_id for m in by_id[i].members]
        return [sum(judged.get(m, False) for m in members), len(members)]

    return {
        "input": record.input_preview[:120],
        "answer": record.answer,
        "output": record.output[:60],
        "note": record.note,
        "choices": [
            {"output": (c["output"] or c["mark"] or "")[:60], "correct": tally(c["clusters"])}
            for c in record.choices
        ],
        "removed": tally(record.removed_clusters),
        "contradicts_all": record.contradicts_all,
    }


def summarize(lines: list[dict[str, Any]]) -> str:
    out = []
    for line in lines:
        if "person_asked" not in line:  # nothing survived the examples: nothing to ask
            line.update(person_top1=line["top1"], person_asked=0, person_correct_removed=0)
    for collection in sorted({line["set"] for line in lines}) + ["all"]:
        rows = [r for r in lines if collection in ("all", r["set"])]
        n = len(rows)
        oracle = sum(r["oracle"] for r in rows)
        out.append(f"\n{collection}: {n} problems, oracle {oracle}/{n}")

        def share(key: str, subset: list[dict[str, Any]]) -> str:
            hits = sum(bool(r.get(key)) for r in subset)
            o = sum(r["oracle"] for r in subset)
            rate = hits / max(1, len(subset))
            return f"{hits}/{len(subset)} = {rate:.3f} ({hits / max(1, o):.3f} x oracle)"

        out.append(f"  top-1 without questions:   {share('top1', rows)}")
        asked = [r for r in rows if "person_asked" in r]
        out.append(f"  top-1 with a person:       {share('person_top1', asked)}")
        if asked:
            counts = [r["person_asked"] for r in asked]
            out.append(
                f"  questions per problem: median {statistics.median(counts):g}, mean "
                f"{statistics.mean(counts):.2f}, "
                f"distribution {dict(sorted(Counter(counts).items()))}"
            )
            removed = sum(r["person_correct_removed"] > 0 for r in asked)
            out.append(f"  problems where an answer removed a correct survivor: {removed}")
        careful = [r for r in rows if "careful_asked" in r]
        if careful:
            out.append(f"  with a careful person ({len(careful)} problems with 2 accepted hidden):")
            out.append(f"    top-1 without questions: {share('top1', careful)}")
            out.append(f"    top-1 with the person:   {share('person_top1', careful)}")
            out.append(f"    top-1 with the careful:  {share('careful_top1', careful)}")
            counts = [r["careful_asked"] for r in careful]
            out.append(
                f"    questions: median {statistics.median(counts):g}, "
                f"{dict(sorted(Counter(counts).items()))}; "
                f"{sum(r['careful_skipped'] for r in careful)} skipped; correct removed in "
                f"{sum(r['careful_correct_removed'] > 0 for r in careful)} problems"
            )
        brute = [r for r in rows if "brute_asked" in r]
        if brute:
            out.append(f"  with a brute force ({len(brute)} problems that have one):")
            out.append(f"    top-1 without questions: {share('top1', brute)}")
            out.append(f"    top-1 with the person:   {share('person_top1', brute)}")
            out.append(f"    top-1 with the brute:    {share('brute_top1', brute)}")
            counts = [r["brute_asked"] for r in brute]
            skips = sum(r["brute_skipped"] for r in brute)
            out.append(
                f"    questions: median {statistics.median(counts):g}, "
                f"{dict(sorted(Counter(counts).items()))}; {skips} skipped (crash or timeout)"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m solver.evaluate_oracle", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--kattis", type=Path)
    parser.add_argument("--kattis-limit", type=int, default=None)
    parser.add_argument("--kattis-skip", type=int, default=0)
    parser.add_argument("--codeflaws", type=Path)
    parser.add_argument("--codeflaws-limit", type=int, default=10)
    parser.add_argument("--pool-limit", type=int, default=30)
    parser.add_argument("--inputs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-questions", type=int, default=DEFAULT_MAX_QUESTIONS)
    parser.add_argument(
        "--careful",
        action="store_true",
        help="also hide a second accepted program: a careful person skips where they disagree",
    )
    parser.add_argument(
        "--hard",
        action="store_true",
        help="near-miss pools, as `solver bench selection --hard` makes them",
    )
    parser.add_argument("--labels", type=Path, help="hidden-test verdicts cache (JSON)")
    parser.add_argument("--out", type=Path, help="append one JSON line per problem")
    parser.add_argument("--summary", type=Path, help="only print the tables of these lines")
    args = parser.parse_args(argv)
    if args.summary is not None:
        lines = [json.loads(x) for x in args.summary.read_text().splitlines() if x.strip()]
        print(summarize(lines))
        return 0

    work = Path(tempfile.mkdtemp(prefix="solver-evaluate-oracle-"))
    targets: list[tuple[Path, str]] = []
    if args.kattis is not None:
        targets += [
            (p, "kattis")
            for p in _kattis_problems(args.kattis, args.kattis_limit, args.kattis_skip)
        ]
    if args.codeflaws is not None:
        from solver.datasets import export_codeflaws

        export_codeflaws(args.codeflaws, work / "codeflaws", limit=args.codeflaws_limit)
        targets += [(p, "codeforces") for p in sorted((work / "codeflaws").iterdir())]
    labels = LabelCache(args.labels or default_cache_dir() / "evaluate-labels.json")
    lines: list[dict[str, Any]] = []
    try:
        with LocalBackend(warn=False) as backend:
            judge = Judge(backend, Builder(backend, default_cache_dir()))
            for number, (path, collection) in enumerate(targets, start=1):
                try:
                    line = evaluate_problem(
                        judge,
                        path,
                        collection,
                        pool_limit=args.pool_limit,
                        inputs=args.inputs,
                        seed=args.seed,
                        max_questions=args.max_questions,
                        careful=args.careful,
                        hard=args.hard,
                        labels=labels,
                        workdir=work,
                    )
                except SandboxError as error:
                    print(f"  skipped {path.name}: {error}", file=sys.stderr)
                    continue
                labels.save()
                if line is None:
                    continue
                lines.append(line)
                print(f"[{number}/{len(targets)}] {json.dumps(line)}", file=sys.stderr, flush=True)
                if args.out is not None:
                    with args.out.open("a") as stream:
                        stream.write(json.dumps(line) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(summarize(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
