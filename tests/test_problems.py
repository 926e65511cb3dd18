"""The project's own problems (problems/): complete packages whose submissions all get the
verdicts their folders promise, whose generators reproduce the committed tests, and whose
input validators accept every test."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sandbox.build import Builder
from sandbox.check import check_problems
from sandbox.judge import Judge
from sandbox.problem import load_problem
from sandbox.validators import build_validator, input_validator
from sandbox.verdicts import Verdict
from tests.conftest import REPO

PROBLEMS = REPO / "problems"
SLUGS = sorted(p.name for p in PROBLEMS.iterdir() if (p / "problem.yaml").is_file())


def test_there_are_at_least_twelve_and_the_contest_lists_them_all() -> None:
    assert len(SLUGS) >= 12
    contest = yaml.safe_load((PROBLEMS / "contest.yaml").read_text())
    assert sorted(entry["slug"] for entry in contest["problems"]) == SLUGS
    labels = [entry["label"] for entry in contest["problems"]]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("slug", SLUGS)
def test_package_is_complete(slug: str) -> None:
    problem = load_problem(PROBLEMS / slug)
    assert problem.statement is not None and problem.statement.suffix == ".md"
    assert problem.time_limit.seconds is not None
    assert len(problem.samples) >= 1 and len(problem.secret) >= 10
    assert problem.generators is not None and (problem.generators / "gen.py").is_file()
    assert problem.input_validators
    folders: dict[str, set[str]] = {}
    for submission in problem.submissions:
        folders.setdefault(submission.expected, set()).add(submission.path.suffix)
    assert {".cpp", ".py"} <= folders["accepted"]
    assert "wrong_answer" in folders and "time_limit_exceeded" in folders


@pytest.mark.parametrize("slug", SLUGS)
def test_generator_reproduces_the_committed_tests(slug: str, tmp_path: Path) -> None:
    # The generator is this project's own code, not a candidate: it runs directly.
    generator = PROBLEMS / slug / "generators" / "gen.py"
    subprocess.run([sys.executable, str(generator), str(tmp_path)], check=True, timeout=300)
    committed = sorted(p.name for p in (PROBLEMS / slug / "data" / "secret").glob("*.in"))
    assert sorted(p.name for p in tmp_path.glob("*.in")) == committed
    for name in committed:
        assert filecmp.cmp(tmp_path / name, PROBLEMS / slug / "data" / "secret" / name, False), name


@pytest.mark.parametrize("slug", SLUGS)
def test_input_validator_accepts_every_test(slug: str, judge: Judge, builder: Builder) -> None:
    problem = load_problem(PROBLEMS / slug)
    for validator_path in problem.input_validators:
        program = build_validator(builder, validator_path, slug)
        with input_validator(judge.backend, program) as validator:
            for test in problem.tests():
                verdict = validator.check(test.input)
                assert verdict.verdict is Verdict.AC, (test.name, verdict.message)


def test_every_submission_gets_its_expected_verdict(judge: Judge, cache_dir: Path) -> None:
    problems = [load_problem(PROBLEMS / slug) for slug in SLUGS]
    outcomes = check_problems(problems, judge, cache_dir=cache_dir, jobs=2)
    mismatches = [(o.problem, o.path, o.expected, o.verdict, o.note) for o in outcomes if not o.ok]
    assert mismatches == []
    assert len(outcomes) >= 12 * 5
