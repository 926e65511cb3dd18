"""`solver solve` and `solver train-scorer` in-process (CliRunner), on real packages and with a
real OpenAI-compatible HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from solver.cli import app
from tests.conftest import make_package, write
from tests.fakeserver import FakeOpenAI

runner = CliRunner()
PAVING = Path(__file__).resolve().parent.parent / "problems" / "paving"


@pytest.fixture(autouse=True)
def _no_model_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "SOLVER_")) and name != "SOLVER_CACHE_DIR":
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def test_solve_with_a_pool_prints_stages_and_a_table_and_writes_sources(tmp_path: Path) -> None:
    out = tmp_path / "picked"
    args = ["solve", str(PAVING), "--pool", str(PAVING / "submissions"), "--inputs", "8"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    for stage in ("compile:", "filter: 6 of 6 passed the examples", "inputs:", "cluster:"):
        assert stage in result.stderr
    assert re.search(
        r"of 6 candidates \(6 families of near-identical programs; \d+ slow\)", result.stderr
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("paving: 6 candidates, 6 compiled, 6 passed the examples")
    assert lines[1].split() == ["rank", "cluster", "score", "language", "file"]
    assert lines[2].split()[0] == "1" and "rank01" in lines[2]
    assert (out / "rank01.cpp").is_file() or (out / "rank01.py").is_file()
    summary = json.loads((out / "submissions.json").read_text())
    assert summary["survivors"] == 6


FAST_SUM = "input()\nprint(sum(map(int, input().split())))\n"
# The same answers, but 300 idle steps per number: fast on the examples, slow on a large input.
SLOW_SUM = (
    "input()\nnumbers = list(map(int, input().split()))\ntotal = 0\n"
    "for x in numbers:\n    for _ in range(300):\n        pass\n    total += x\nprint(total)\n"
)
# The package's own generator (`gen OUT_DIR --seed S`, run in the sandbox): one large input.
BIG_SUM = (
    "import sys\nn = 100000\n"
    "open(sys.argv[1] + '/big.in', 'w').write(f'{n}\\n' + ' '.join(['7'] * n) + '\\n')\n"
)


def test_solve_picks_a_program_that_is_slow_on_the_largest_input_last(tmp_path: Path) -> None:
    tests = {"sample/1": ("4\n1 2 3 4\n", "10\n"), "secret/1": ("2\n5 5\n", "10\n")}
    package = make_package(tmp_path / "sum", tests=tests, timelimit="10")
    write(package / "generators" / "gen.py", BIG_SUM)
    write(tmp_path / "pool" / "a_slow.py", SLOW_SUM)
    write(tmp_path / "pool" / "b_fast.py", FAST_SUM)
    args = ["solve", str(package), "--pool", str(tmp_path / "pool"), "--inputs", "4", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 package generator" in result.stderr
    assert "(2 families of near-identical programs; 1 slow)" in result.stderr
    report = json.loads(result.stdout)
    assert report["clusters"] == 1  # the same answers everywhere
    picks = [(p["source"], p["slow"]) for p in report["submissions"]]
    assert picks == [(FAST_SUM, False), (SLOW_SUM, True)]


def test_solve_json_has_the_documented_shape(tmp_path: Path) -> None:
    args = ["solve", str(PAVING), "--pool", str(PAVING / "submissions"), "--inputs", "8"]
    result = runner.invoke(app, [*args, "--json", "--order", "size"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"problem", "candidates", "survivors", "inputs", "clusters", "submissions"} <= set(
        report
    )
    assert report["problem"] == "paving" and report["candidates"] == 6
    first = report["submissions"][0]
    assert {"rank", "language", "source", "cluster_size", "score"} <= set(first)
    assert first["rank"] == 1 and first["cluster_size"] == 2  # the two accepted programs
    assert "timings" in report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["solve", "/nonexistent/problem", "--pool", "x"], "no such problem directory"),
        (["solve", str(PAVING), "--pool", "/nonexistent/pool.jsonl"], "no such pool"),
        (
            ["solve", str(PAVING), "--pool", str(PAVING / "submissions"), "--property", "out >"],
            "not a Python expression",
        ),
        (["solve", str(PAVING)], "no model"),
        (["solve", str(PAVING), "--pool", "x", "--order", "biggest"], "--order must be"),
    ],
)
def test_user_errors_are_one_line_with_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


CORRECT = '#include <cstdio>\nint main() { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a + b); }\n'
CORRECT_TOO = "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << b + a << '\\n'; }\n"
WRONG = '#include <cstdio>\nint main() { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a < b ? a + b : a - b); }\n'


GENERATOR = "import random, sys\nr = random.Random(int(sys.argv[1]))\nprint(r.randint(1, 99), r.randint(1, 99))\n"
VALIDATOR = "import sys\na, b = map(int, sys.stdin.read().split())\nsys.exit(42 if a > 0 and b > 0 else 43)\n"


def model_answer(request: dict[str, Any], number: int) -> str:
    """Two correct programs and one that passes the example but not much else; an input
    generator and an input validator when asked for those."""
    task = request["messages"][-1]["content"]
    if "prints one test input" in task:
        return f"```python\n{GENERATOR}```\n"
    if "exits with code 42" in task:
        return f"```python\n{VALIDATOR}```\n"
    program = (CORRECT, WRONG, CORRECT_TOO)[number % 3]
    return f"Here is a solution.\n\n```cpp\n{program}```\n"


def test_solve_with_a_model_served_over_http(tmp_path: Path) -> None:
    problem = make_package(tmp_path / "sum", tests={"sample/1": ("3 4\n", "7\n")})
    write(problem / "problem_statement" / "problem.md", "# Sum\n\nPrint $a + b$.\n")
    config = tmp_path / "config.toml"
    config.write_text('cache = "samples.sqlite"\n[retry]\nbackoff_base_s = 0.01\n')
    with FakeOpenAI(answer=model_answer) as server:
        args = [
            "solve",
            str(problem),
            "--base-url",
            server.base_url,
            "--model",
            "fake",
            "--config",
            str(config),
            "--samples",
            "6",
            "--hint",
            "mind overflow",
            "--json",
        ]
        result = runner.invoke(app, args)
        assert server.answered >= 1
    assert result.exit_code == 0, result.output
    assert "sampled 6/6" in result.stderr and "filter: 3 of 3 passed" in result.stderr
    assert "mind overflow" in server.bodies[0]["messages"][1]["content"]
    # Four input generators and four validators were asked for; their inputs were used.
    assert len(server.bodies) == 6 + 8
    assert "model generator" in result.stderr
    assert re.search(
        r"model: \d+ inputs from \d+ model generators, \d+ model validators", result.stderr
    )
    report = json.loads(result.stdout)
    assert report["candidates"] == 3 and report["survivors"] == 3
    first = report["submissions"][0]
    assert first["cluster_size"] == 2 and "a - b" not in first["source"]
    assert report["sampling"]["drawn"] == 6


def test_train_scorer_writes_a_json_model(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    rows = [
        {"problem": "p", "candidate": i, "features": {"cluster_share": i / 10}, "label": int(i > 4)}
        for i in range(10)
    ]
    records.write_text("".join(json.dumps(r) + "\n" for r in rows))
    model = tmp_path / "scorer.json"
    result = runner.invoke(app, ["train-scorer", str(records), "--out", str(model)])
    assert result.exit_code == 0, result.output
    assert "trained on 10 candidates of 1 problems (5 correct)" in result.stdout
    assert json.loads(model.read_text())["kind"] == "logistic-regression"
    broken = runner.invoke(app, ["train-scorer", str(tmp_path / "none.jsonl")])
    assert broken.exit_code == 2 and broken.stderr.startswith("error: ")
