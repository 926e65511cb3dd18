"""`solver sample` in-process (CliRunner): output, JSON, and one-line user errors."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from solver.cli import app
from solver.pool import load_pool
from tests.conftest import make_package, write
from tests.fakeserver import FakeOpenAI

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_model_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "SOLVER_")) and name != "SOLVER_CACHE_DIR":
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


@pytest.fixture
def problem_dir(tmp_path: Path) -> Path:
    root = make_package(tmp_path / "sum")
    write(root / "problem_statement" / "problem.md", "# Sum\n\nPrint $a + b$.\n")
    return root


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text('cache = "samples.sqlite"\n[retry]\nbackoff_base_s = 0.01\n' + extra)
    return path


def test_sample_prints_a_summary_writes_the_pool_and_reruns_from_the_cache(
    tmp_path: Path, problem_dir: Path, server: FakeOpenAI
) -> None:
    out = tmp_path / "pool.jsonl"
    args = [
        "sample",
        str(problem_dir),
        "-n",
        "6",
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--config",
        str(config(tmp_path)),
        "--out",
        str(out),
        "--hint",
        "mind overflow",
        "--hint",
        "read fast",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "6/6 samples, 6 with code, 6 distinct programs" in result.stdout
    assert "6 requests, 0 retries, 0 cache hits" in result.stdout
    assert "cost unknown (no prices)" in result.stdout
    assert "sampled 6/6" in result.stderr
    assert "- mind overflow\n- read fast" in server.bodies[0]["messages"][1]["content"]
    assert len(load_pool(out)) == 6
    assert (tmp_path / "samples.sqlite").is_file()  # relative to the config file

    result = runner.invoke(app, [*args, "--json"])
    report = json.loads(result.stdout)
    assert report["problem"] == "sum" and report["cache_hits"] == 6 and report["requests"] == 0
    assert server.requests == 6


def test_budget_language_temperatures_and_prices_reach_the_requests(
    tmp_path: Path, problem_dir: Path, server: FakeOpenAI
) -> None:
    path = config(tmp_path, "[prices]\ninput_per_mtok = 1000\noutput_per_mtok = 1000\n")
    args = [
        "sample",
        str(problem_dir),
        "-n",
        "50",
        "-l",
        "python",
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--config",
        str(path),
        "--temperature-min",
        "0.5",
        "--temperature-max",
        "0.6",
        "--max-tokens",
        "100",
        "--budget-cost",
        "0.5",
        "--json",
        "--concurrency",
        "2",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stopped_by"] == "cost budget" and 0 < report["drawn"] < 50
    assert report["cost"] <= 0.5
    body = server.bodies[0]
    assert 0.5 <= body["temperature"] <= 0.6 and body["max_tokens"] == 100
    assert "Python 3" in body["messages"][1]["content"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "error: no model: give --model"),
        (["--model", "m", "--language", "cobol"], "unknown language 'cobol'"),
        (["--model", "m", "--budget-cost", "1"], "needs prices"),
        (
            ["--model", "m", "--temperature-min", "1.5", "--temperature-max", "1"],
            "temperatures must satisfy",
        ),
        (["--model", "m", "--base-url", "localhost:8000"], "base URL must be http(s)"),
        (["--model", "m", "--config", "/nonexistent/solver.toml"], "no such config file"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    problem_dir: Path, extra: list[str], message: str
) -> None:
    result = runner.invoke(app, ["sample", str(problem_dir), "-n", "3", *extra])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_missing_problem_or_statement_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sample", str(tmp_path / "nope"), "-n", "3", "--model", "m"])
    assert result.exit_code == 2 and "no such problem directory" in result.stderr
    bare = make_package(tmp_path / "bare")
    result = runner.invoke(app, ["sample", str(bare), "-n", "3", "--model", "m"])
    assert result.exit_code == 2 and "no statement" in result.stderr
