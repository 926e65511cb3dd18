"""The selection pipeline on the bundled problems, in the real sandbox, with their own
submissions as pools (accepted, wrong-answer and too-slow programs mixed)."""

from __future__ import annotations

from pathlib import Path

from sandbox.judge import Judge
from sandbox.problem import load_problem
from solver.evaluate import visible_copy
from solver.pipeline import PipelineConfig, PipelineResult, Reporter, run_pipeline
from solver.pool import Candidate, load_pool
from tests.conftest import make_package

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


class Recorder(Reporter):
    def __init__(self) -> None:
        self.finished: list[str] = []
        self.updates = 0

    def update(self, stage: str, done: int, total: int) -> None:
        self.updates += 1

    def finish(self, stage: str, summary: str, seconds: float) -> None:
        self.finished.append(stage)


def _solve(
    judge: Judge, tmp_path: Path, slug: str, **config: object
) -> tuple[PipelineResult, list[str]]:
    # The solver sees a copy without hidden tests or submissions, as in the evaluation.
    problem = visible_copy(load_problem(PROBLEMS / slug), tmp_path / slug)
    assert not problem.secret and not problem.submissions
    pool = load_pool(PROBLEMS / slug / "submissions")
    files = [c.metadata["file"] for c in pool]
    result = run_pipeline(
        problem,
        pool,
        judge,
        config=PipelineConfig(inputs=12, **config),  # type: ignore[arg-type]
        reporter=Recorder(),
        workdir=tmp_path / "work",
    )
    return result, files


def test_paving_ranks_an_accepted_program_first_and_separates_the_wrong_ones(
    judge: Judge, tmp_path: Path
) -> None:
    result, files = _solve(judge, tmp_path, "paving")
    assert len(result.candidates) == 6 and result.compiled == 6
    assert result.inputs >= 10
    assert result.generated is not None and result.generated.validator == "1 built"
    picked = [files[p.candidate] for p in result.submissions]
    assert picked[0].startswith("accepted/")
    assert len(picked) == 6  # five clusters: the order wraps round to the sixth survivor
    accepted = {i for i, f in enumerate(files) if f.startswith("accepted/")}
    assert result.clustering is not None
    cluster = result.clustering.cluster_of(next(iter(accepted)))
    assert set(cluster.members) == accepted  # both correct programs agree, nothing else does
    slow = files.index("time_limit_exceeded/count_loop.py")
    assert result.clustering.behaviour[slow].timeouts > 0
    report = result.to_json()
    assert report["survivors"] == 6 and report["clusters"] == len(result.clustering.clusters)
    assert set(report["timings"]) >= {"compile", "filter", "inputs", "run", "cluster", "score"}


def test_custom_output_validator_merges_different_valid_answers(
    judge: Judge, tmp_path: Path
) -> None:
    result, files = _solve(judge, tmp_path, "inversions")
    assert result.clustering is not None and result.clustering.validator_calls > 0
    accepted = {i for i, f in enumerate(files) if f.startswith("accepted/")}
    first = result.submissions[0]
    assert files[first.candidate].startswith("accepted/")
    assert set(first.cluster.members) == accepted


def test_a_property_that_contradicts_a_correct_solution_is_reported_as_dropping_it(
    judge: Judge, tmp_path: Path
) -> None:
    problem = load_problem(make_package(tmp_path / "sum", tests={"sample/1": ("3 4\n", "7\n")}))
    correct = Candidate("python3", "a, b = map(int, input().split())\nprint(a + b)\n")
    capped = Candidate("python3", "a, b = map(int, input().split())\nprint(min(a + b, 7))\n")
    wrong_property = "int(out) <= 7"  # false for the correct program on larger inputs
    never = "out.strip() == 'never'"
    result = run_pipeline(
        problem,
        [correct, capped],
        judge,
        config=PipelineConfig(inputs=12, properties=(wrong_property, never)),
        workdir=tmp_path / "work",
    )
    reports = {r.expression: r for r in result.properties}
    assert reports[wrong_property].applied and reports[wrong_property].dropped == 1
    assert "dropped 1 candidates" in reports[wrong_property].describe()
    assert result.clustering is not None and set(result.clustering.behaviour) == {1}
    assert [p.candidate for p in result.submissions] == [1]  # only the capped one is left
    # A property that every candidate breaks is reported and not applied.
    assert reports[never].contradicts_all and not reports[never].applied
    assert "contradicts all 2 candidates" in reports[never].describe()
