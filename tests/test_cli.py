"""The command line, through typer's CliRunner, on packages written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from solver.cli import app
from tests.conftest import make_package, write

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_judge_accepted_prints_each_test_and_exits_0(tmp_path: Path) -> None:
    root = make_package(tmp_path / "sum")
    source = write(tmp_path / "sum.py", "a, b = map(int, input().split())\nprint(a + b)\n")
    result = run("judge", root, source)
    assert result.exit_code == 0, result.output
    assert "secret/02-large" in result.output
    assert "verdict   AC (accepted)" in result.output


def test_judge_json_shape_and_exit_1_on_rejection(tmp_path: Path) -> None:
    root = make_package(tmp_path / "sum")
    source = write(tmp_path / "wrong.py", "print(3)\n")
    result = run("judge", root, source, "--json", "--all-tests")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) >= {"problem", "source", "language", "verdict", "compile", "tests"}
    assert set(report["compile"]) >= {"ok", "time_s", "message"}
    assert report["verdict"] == "WA" and report["language"] == "python3"
    assert [t["verdict"] for t in report["tests"]] == ["AC", "WA", "WA"]
    assert set(report["tests"][0]) >= {"name", "verdict", "time_s", "memory_kib"}


def test_judge_sample_only_and_explicit_language(tmp_path: Path) -> None:
    root = make_package(tmp_path / "sum")
    source = write(tmp_path / "three.txt", "print(3)\n")
    result = run("judge", root, source, "--tests", "sample", "--language", "python3", "--json")
    assert result.exit_code == 0
    assert [t["name"] for t in json.loads(result.output)["tests"]] == ["sample/1"]


def test_user_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    root = make_package(tmp_path / "sum")
    source = write(tmp_path / "ok.py", "print(3)\n")
    cases = [
        ("judge", tmp_path / "missing", source),
        ("judge", root, tmp_path / "missing.py"),
        ("judge", root, source, "--language", "cobol"),
        ("judge", root, write(tmp_path / "x.unknown", "?")),
    ]
    for args in cases:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.output
        assert "Traceback" not in result.output


def test_judge_judges_interactive_problems(tmp_path: Path) -> None:
    root = make_package(tmp_path / "guess", problem_yaml="validation: custom interactive\n")
    interactor = "import sys\nsys.exit(42 if sys.stdin.readline().strip() == '1' else 43)\n"
    write(root / "output_validators" / "i" / "interactor.py", interactor)
    accepted = run("judge", root, write(tmp_path / "g.py", "print(1)\n"))
    assert accepted.exit_code == 0, accepted.output
    rejected = run("judge", root, write(tmp_path / "h.py", "print(2)\n"))
    assert rejected.exit_code == 1 and "WA" in rejected.output


def test_check_reports_expected_and_obtained_verdicts(tmp_path: Path) -> None:
    root = make_package(tmp_path / "sum")
    write(root / "submissions/accepted/good.py", "a, b = map(int, input().split())\nprint(a+b)\n")
    write(root / "submissions/wrong_answer/zero.py", "print(0)\n")
    write(root / "submissions/time_limit_exceeded/slow.py", "while True: pass\n")
    write(root / "submissions/run_time_error/crash.py", "raise SystemExit(1)\n")
    write(root / "submissions/accepted/liar.py", "print(0)\n")  # labelled wrongly
    result = run("check", root, "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output[result.output.index("{") :])
    assert (report["matched"], report["total"]) == (4, 5)
    by_path = {s["path"]: s for s in report["submissions"]}
    assert by_path["submissions/accepted/liar.py"]["ok"] is False
    assert by_path["submissions/time_limit_exceeded/slow.py"]["verdict"] == "TLE"
    assert set(report["submissions"][0]) >= {"problem", "path", "expected", "verdict", "ok"}


def test_check_exit_0_when_everything_matches(tmp_path: Path) -> None:
    root = make_package(tmp_path / "sum")
    write(root / "submissions/accepted/good.py", "a, b = map(int, input().split())\nprint(a+b)\n")
    write(root / "submissions/mixed/zero.py", "print(0)\n")
    result = run("check", root)
    assert result.exit_code == 0, result.output
    assert "matched 2/2" in result.output


def test_check_derives_a_missing_time_limit_from_accepted_runs(tmp_path: Path) -> None:
    root = make_package(tmp_path / "sum", timelimit=None)
    write(root / "submissions/accepted/good.py", "a, b = map(int, input().split())\nprint(a+b)\n")
    result = run("check", root)
    assert result.exit_code == 0, result.output
    assert "time limit 1 s, none stated; derived from the slowest accepted run" in result.output


def test_doctor_lists_protections() -> None:
    result = run("doctor")
    assert result.exit_code == 0
    assert "network namespace" in result.output and "rlimits" in result.output


def test_check_honours_domjudge_expected_results(tmp_path: Path) -> None:
    root = make_package(tmp_path / "sum")
    write(
        root / "submissions/wrong_answer/slow_or_wrong.py",
        "# @EXPECTED_RESULTS@: WRONG-ANSWER, TIMELIMIT\nwhile True: pass\n",
    )
    result = run("check", root, "--json")
    report = json.loads(result.output[result.output.index("{") :])
    (outcome,) = report["submissions"]
    assert outcome["expected"] == "TLE|WA" and outcome["verdict"] == "TLE" and outcome["ok"]
