"""The judge on real third-party packages and pools from ../shared/problemsets.

These are the packages the judge must get right: real validators (validate.h, validation.h,
testlib), float tolerances, legacy packages without a time limit, real accepted and wrong
submissions. Skipped, saying why, where ../shared is not beside the checkout.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandbox.judge import Judge
from sandbox.problem import load_problem
from sandbox.validators import build_validator, input_validator
from sandbox.verdicts import Verdict
from solver.cli import app
from solver.datasets import export_codeflaws
from tests.conftest import SHARED_PROBLEMSETS

KATTIS_TAR = SHARED_PROBLEMSETS / "kattis-dev.tar.gz"
CODEFLAWS = SHARED_PROBLEMSETS / "codeflaws-dev.jsonl.gz"

# Small packages that between them cover the package shapes found in the set.
KATTIS_SAMPLE = (
    "gcpc2021__arcade2",  # custom validator with validate.h, domjudge-problem.ini limit
    "misc__infinityissues",  # a single-file validator directly in output_validators/
    "rmrc2019__biggesttriangle",  # relative and absolute float tolerances
    "karwa2024__antennes",  # a BAPCtools validation.h validator, and stray files beside it
    "rmrc2018__hindex",  # unknown submission folders (not judged), a prebuilt binary
)

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def kattis(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not KATTIS_TAR.is_file():
        pytest.skip(f"{KATTIS_TAR} is absent: ../shared must sit beside the checkout")
    root = tmp_path_factory.mktemp("kattis")
    wanted = tuple(f"kattis/{name}/" for name in KATTIS_SAMPLE)
    with tarfile.open(KATTIS_TAR) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(wanted)]
        archive.extractall(root, members=members, filter="data")
    return root / "kattis"


def test_real_kattis_packages_get_their_expected_verdicts(kattis: Path) -> None:
    folders = [kattis / name for name in KATTIS_SAMPLE]
    result = CliRunner().invoke(app, ["check", "--json", *map(str, folders)])
    report = json.loads(result.output[result.output.index("{\n") :])
    mismatches = [s for s in report["submissions"] if not s["ok"]]
    assert mismatches == [], mismatches
    assert report["total"] >= 30
    assert result.exit_code == 0
    skipped = {s["path"]: s["note"] for s in report["not_judged"]}
    assert "unknown language" in skipped["submissions/accepted/hindex-db-1"]
    assert "no expected verdict" in skipped["submissions/time_limit/hindex-zf-tle.cpp"]


def test_a_real_checktestdata_validator_accepts_every_test(kattis: Path, judge: Judge) -> None:
    problem = load_problem(kattis / "gcpc2021__arcade2")
    (grammar,) = problem.input_validators
    assert grammar.suffix == ".ctd"
    program = build_validator(judge.builder, grammar, problem.slug)
    with input_validator(judge.backend, program) as validator:
        for test in problem.tests():
            assert validator.check(test.input).verdict is Verdict.AC, test.name


def test_real_codeforces_submissions(tmp_path: Path) -> None:
    if not CODEFLAWS.is_file():
        pytest.skip(f"{CODEFLAWS} is absent: ../shared must sit beside the checkout")
    summary = export_codeflaws(CODEFLAWS, tmp_path, limit=6)
    assert summary.problems == 6 and summary.accepted > 0 and summary.rejected > 0
    folders = sorted(str(p) for p in tmp_path.iterdir())
    result = CliRunner().invoke(app, ["check", "--json", *folders])
    report = json.loads(result.output[result.output.index("{\n") :])
    assert report["total"] == summary.accepted + summary.rejected
    assert [s for s in report["submissions"] if not s["ok"]] == []
