"""`solver bench selection` on a bundled problem, where the figures can be worked out by hand:
paving's pool is its 6 submissions (2 accepted, 3 wrong answers, 1 too slow), all of which pass
both examples."""

from __future__ import annotations

import json
import math
import sqlite3
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandbox.judge import Judge
from sandbox.problem import load_problem
from solver import benchmark
from solver.benchmark import (
    LARGEST,
    RANDOM,
    SOLVER,
    BenchConfig,
    BenchResult,
    ProblemRow,
    check_no_original,
    hard_pool,
    problem_sets,
    run_benchmark,
    summarise,
    table,
)
from solver.cli import app
from solver.evaluate import LabelCache
from solver.mutate import accepted_programs
from solver.pool import normalized_source
from tests.conftest import make_package

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"
PAVING = PROBLEMS / "paving"
runner = CliRunner()


def _without_seconds(value: object) -> object:
    """A benchmark's JSON without its timings (they differ from run to run)."""
    if isinstance(value, dict):
        return {k: _without_seconds(v) for k, v in value.items() if "seconds" not in k}
    if isinstance(value, list):
        return [_without_seconds(v) for v in value]
    return value


def test_baselines_on_paving_submissions(tmp_path: Path) -> None:
    report, records = tmp_path / "report", tmp_path / "records.jsonl"
    store = tmp_path / "bench.sqlite"
    options = ["--json", "--inputs", "8", "--report", str(report), "--records", str(records)]
    options += ["--store", str(store)]
    result = runner.invoke(app, ["bench", "selection", str(PAVING), *options])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(store) as db:
        (runs,) = db.execute("SELECT COUNT(*) FROM runs").fetchone()
    assert runs > 0
    # A rerun with the store runs nothing again and measures the same.
    again = runner.invoke(app, ["bench", "selection", str(PAVING), *options])
    assert again.exit_code == 0, again.output
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone() == (runs,)
    assert _without_seconds(json.loads(again.stdout)) == _without_seconds(json.loads(result.stdout))
    lines = [json.loads(line) for line in records.read_text().splitlines()]
    assert len(lines) == 6 and sum(line["label"] for line in lines) == 2
    assert not any(line["mutant"] for line in lines)
    data = json.loads(result.stdout)
    (row,) = data["problems"]
    assert row["counted"] and row["error"] == ""
    assert (row["pool"], row["survivors"], row["correct_survivors"]) == (6, 6, 2)
    assert row["oracle"] is True
    # Random among 6 survivors of which 2 are correct: first is right 2/6 of the time; ten
    # picks without repeats take all six.
    assert row["top1"][RANDOM] == pytest.approx(2 / 6)
    assert row["top10"][RANDOM] == 1.0
    # The two accepted programs agree on every input, so they form the largest cluster (each
    # wrong program is wrong in its own way): largest-cluster's first pick is correct.
    assert row["clusters"] == 5
    assert row["top1"][LARGEST] == 1.0 and row["top10"][LARGEST] == 1.0
    assert row["top10"][SOLVER] == 1.0
    # A right first pick is one from a cluster that holds a correct program.
    assert row["first_cluster_correct"] >= row["top1"][SOLVER]
    summary = data["sets"]["problems"]
    assert summary["solver_first_cluster_correct_of_oracle"] == row["first_cluster_correct"]
    assert (summary["problems"], summary["oracle"]) == (1, 1)
    assert summary["methods"][RANDOM]["top1_of_oracle"] == pytest.approx(2 / 6, abs=1e-4)
    assert "stderr" not in data
    assert "[1/1] problems paving" in result.stderr
    for name in ("selection.txt", "selection.json", "selection.png"):
        assert (report / name).stat().st_size > 0
    assert (report / "selection.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "random" in (report / "selection.txt").read_text()


def test_hard_pool_never_holds_a_mutant_with_its_original(judge: Judge, tmp_path: Path) -> None:
    problem = load_problem(PAVING)
    accepted = accepted_programs(problem)
    labels = LabelCache(tmp_path / "labels.json")
    config = BenchConfig(hard=True, mutants=4, max_tried=40, seed=3)
    with tempfile.TemporaryDirectory() as folder:
        pool = hard_pool(judge, problem, config, 1.0, labels, Path(folder), lambda line: None)
    assert pool.accepted is not None and pool.mutants
    # One accepted program, the four others (3 wrong answers, 1 too slow), the mutants.
    assert len(pool.candidates) == 1 + 4 + len(pool.mutants) and pool.wrong_submissions == 4
    pooled = {normalized_source(c.source) for c in pool.candidates}
    assert sum(normalized_source(a.source) in pooled for a in accepted) == 1
    other = next(a for a in accepted if a != pool.accepted)
    for mutant in pool.mutants:
        assert mutant.candidate.metadata["origin"] == other.metadata["file"]
        assert labels.data[labels.key(problem, mutant.candidate, 1.0)] != "AC"
    with pytest.raises(AssertionError, match="pooled with it"):
        check_no_original(other, pool.mutants, [other])


def test_hard_run_random_baseline_has_one_correct_survivor(judge: Judge) -> None:
    config = BenchConfig(hard=True, mutants=3, max_tried=30, inputs=6, seed=1)
    result = run_benchmark(judge, [(PAVING, "bundled")], config, log=lambda line: None)
    (row,) = result.rows
    assert row.counted and row.mutants >= 1
    assert row.pool == 1 + 4 + row.mutants
    # One correct program among n survivors: top-1 1/n, top-10 min(10, n)/n.
    assert row.correct_survivors == 1
    n = row.survivors
    assert row.top1[RANDOM] == pytest.approx(1 / n)
    assert row.top10[RANDOM] == pytest.approx(
        1 - math.comb(n - 1, min(10, n)) / math.comb(n, min(10, n))
    )
    assert row.top10[RANDOM] == pytest.approx(min(10, n) / n)
    assert row.first_cluster_correct >= row.top1[SOLVER]


def test_the_first_cluster_share_counts_misses_inside_a_right_cluster() -> None:
    """One problem picked right, one whose first cluster holds a correct program that the pick
    inside it missed, one whose first cluster is wrong: top-1 1/3, first cluster 2/3."""
    rows = []
    for top1, first in ((1.0, 1.0), (0.0, 1.0), (0.0, 0.0)):
        row = ProblemRow(f"p{len(rows)}", "set", counted=True, oracle=True)
        row.top1[SOLVER], row.top10[SOLVER], row.first_cluster_correct = top1, 1.0, first
        rows.append(row)
    summary = summarise(rows)["set"]
    assert summary.to_json()["solver_first_cluster_correct_of_oracle"] == pytest.approx(0.6667)
    assert summary.to_json()["methods"][SOLVER]["top1_of_oracle"] == pytest.approx(0.3333)
    text = table(BenchResult(BenchConfig(), rows, {"set": summary}))
    assert "first cluster holds a correct program: 0.667 x oracle" in text


def test_a_crash_in_one_problem_is_reported_in_its_row(
    judge: Judge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = benchmark.run_pipeline

    def crashes_on_sum(problem, candidates, judge, **options):  # type: ignore[no-untyped-def]
        if problem.slug == "sum":
            raise RuntimeError("boom")
        return real(problem, candidates, judge, **options)

    monkeypatch.setattr(benchmark, "run_pipeline", crashes_on_sum)
    broken = make_package(tmp_path / "sum")
    (broken / "submissions" / "accepted").mkdir(parents=True)
    (broken / "submissions" / "accepted" / "a.py").write_text(
        "print(sum(map(int, input().split())))\n"
    )
    targets = [(broken, "mixed"), (PAVING, "mixed")]
    result = run_benchmark(judge, targets, BenchConfig(inputs=4), log=lambda line: None)
    crashed, fine = result.rows
    assert not crashed.counted and crashed.error.startswith("RuntimeError: boom")
    assert fine.counted and fine.error == ""
    assert result.sets["mixed"].problems == 1 and result.sets["mixed"].skipped == 1


def test_problem_sets_name_and_sample_folders(tmp_path: Path) -> None:
    folders = problem_sets([PROBLEMS])
    packages = sorted(p for p in PROBLEMS.iterdir() if (p / "data").is_dir())
    assert [path for path, _ in folders] == packages and len(packages) >= 13
    assert {name for _, name in folders} == {"problems"}
    assert problem_sets([PAVING]) == [(PAVING, "problems")]
    sample = problem_sets([PROBLEMS], limit=4, seed=2)
    assert len(sample) == 4 and sample == problem_sets([PROBLEMS], limit=4, seed=2)
    cf = make_package(tmp_path / "exported" / "cf1-A")
    (cf / "problem.yaml").write_text("name: x\nsource: 'Codeforces (via Codeflaws): url'\n")
    assert problem_sets([tmp_path / "exported"]) == [(cf, "codeforces")]
    with pytest.raises(FileNotFoundError):
        problem_sets([tmp_path / "nothing"])


def test_bench_usage_error_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bench", "selection", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
