"""The sampler against a real OpenAI-compatible HTTP server on loopback that misbehaves."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.problem import load_problem
from solver.config import ModelConfig, RetryPolicy, Settings
from solver.pool import load_pool
from solver.samplecache import SampleCache
from solver.sampler import SamplingConfig, sample_problem
from tests.conftest import REPO, make_package, write
from tests.fakeserver import FAULTS, FakeOpenAI


@pytest.fixture
def problem_dir(tmp_path: Path) -> Path:
    root = make_package(tmp_path / "sum")
    write(root / "problem_statement" / "problem.en.md", "# Sum\n\nPrint $a + b$.\n")
    return root


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key="sk-good") as fake:
        yield fake


def settings(base_url: str, cache: Path, **overrides: object) -> Settings:
    values: dict = {
        "base_url": base_url,
        "model": "fake-coder",
        "api_key": "sk-good",
        "concurrency": 16,
        "timeout_s": 0.3,
        "retry": RetryPolicy(
            max_attempts=12, backoff_base_s=0.01, backoff_max_s=0.1, connect_attempts=3
        ),
    }
    values.update(overrides)
    return Settings(model=ModelConfig(**values), cache_path=cache)


def test_200_samples_through_30_percent_faults_lose_none_and_a_rerun_sends_nothing(
    tmp_path: Path, problem_dir: Path
) -> None:
    with FakeOpenAI(
        api_key="sk-good", fault_rate=0.3, seed=5, slow_s=0.6, latency_s=0.005
    ) as server:
        config = settings(server.base_url, tmp_path / "samples.sqlite")
        problem = load_problem(problem_dir)
        out = tmp_path / "pool.jsonl"
        run = sample_problem(problem, config, SamplingConfig(samples=200, seed=3), out=out)

        stats = run.stats
        assert stats.drawn == 200 and stats.with_code == 200 and stats.distinct == 200
        assert sorted(s.index for s in run.samples) == list(range(200))
        pool = load_pool(out, merge=False)
        assert sorted(c.metadata["sample"] for c in pool) == list(range(200))
        with SampleCache(tmp_path / "samples.sqlite") as cache:
            assert len(cache) == 200
        # Every kind of fault happened, about 30% of requests failed, and each was retried.
        assert set(server.injected) == set(FAULTS)
        faults = sum(server.injected.values())
        assert 0.2 < faults / server.requests < 0.4
        assert stats.retries >= faults and stats.requests == 200 + stats.retries
        assert stats.failures["rate-limited"] == server.injected["429"]

        before = server.requests
        again = sample_problem(problem, config, SamplingConfig(samples=200, seed=3), out=out)
        assert server.requests == before  # not a single request
        assert again.stats.cache_hits == 200 and again.stats.requests == 0
        assert [c.source for c in again.candidates] == [c.source for c in run.candidates]
        assert len(load_pool(out, merge=False)) == 200


def test_n_over_http_honoured_and_ignored(tmp_path: Path, problem_dir: Path) -> None:
    problem = load_problem(problem_dir)
    for honour in (True, False):
        with FakeOpenAI(honour_n=honour) as server:
            config = settings(
                server.base_url, tmp_path / f"{honour}.sqlite", n_per_request=5, api_key=None
            )
            run = sample_problem(problem, config, SamplingConfig(samples=20))
            assert run.stats.drawn == 20
            assert server.requests == (4 if honour else 20)


def test_logprobs_and_plain_completions_over_http(tmp_path: Path, problem_dir: Path) -> None:
    with FakeOpenAI() as server:
        config = settings(
            server.base_url, tmp_path / "c.sqlite", api="completions", logprobs=True, api_key=None
        )
        run = sample_problem(load_problem(problem_dir), config, SamplingConfig(samples=4))
    assert run.stats.with_code == 4
    assert all(c.metadata["logprob"] == -2.0 for c in run.candidates)
    assert all(body["prompt"].endswith("```cpp\n") for body in server.bodies)


# -- the command line, as a user runs it ---------------------------------------------------------


def cli_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'cache = "{tmp_path / "cli-samples.sqlite"}"\n'
        "timeout_s = 2\n"
        "[retry]\nbackoff_base_s = 0.01\nbackoff_max_s = 0.05\nconnect_attempts = 3\n"
    )
    return path


def solver(*args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SOLVER_"))}
    env["SOLVER_CACHE_DIR"] = os.environ.get("SOLVER_CACHE_DIR", "")
    return subprocess.run(
        [sys.executable, "-m", "solver", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=env,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert result.stderr.rstrip("\n").splitlines()[-1] == errors[0]
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_endpoint_ends_in_seconds_with_exit_2(
    tmp_path: Path, problem_dir: Path
) -> None:
    started = time.monotonic()
    url = f"http://127.0.0.1:{free_port()}/v1"
    out = tmp_path / "pool.jsonl"
    result = solver(
        "sample",
        problem_dir,
        "--samples",
        5,
        "--base-url",
        url,
        "--model",
        "m",
        "--config",
        cli_config(tmp_path),
        "--out",
        out,
    )
    assert_one_line_error(result, "cannot reach the model endpoint", url, "connection refused")
    assert time.monotonic() - started < 10


def test_an_endpoint_that_goes_away_keeps_every_sample_drawn(
    tmp_path: Path, problem_dir: Path, server: FakeOpenAI
) -> None:
    server.stop_after = 7
    out = tmp_path / "pool.jsonl"
    args = (
        "sample",
        problem_dir,
        "--samples",
        20,
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--api-key",
        "sk-good",
        "--config",
        cli_config(tmp_path),
        "--concurrency",
        1,
        "--out",
        out,
    )
    started = time.monotonic()
    result = solver(*args)
    assert_one_line_error(result, "cannot reach the model endpoint", "7 samples kept")
    assert time.monotonic() - started < 15
    assert len(out.read_text().splitlines()) == 7

    server.restart()
    before = server.requests
    result = solver(*args, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["drawn"] == 20 and summary["cache_hits"] == 7
    assert server.requests - before == 13
    assert len(out.read_text().splitlines()) == 20


def test_a_refused_key_exits_2_and_keeps_every_sample_drawn(
    tmp_path: Path, problem_dir: Path, server: FakeOpenAI
) -> None:
    out = tmp_path / "pool.jsonl"
    common = (
        "sample",
        problem_dir,
        "--samples",
        12,
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--config",
        cli_config(tmp_path),
        "--out",
        out,
    )
    result = solver(*common, "--api-key", "sk-wrong")
    assert_one_line_error(result, "refused the API key", "401", "0 samples kept")

    server.revoke_after = 5
    result = solver(*common, "--api-key", "sk-good", "--concurrency", 1)
    assert_one_line_error(result, "refused the API key", "5 samples kept")
    assert len(out.read_text().splitlines()) == 5

    server.revoke_after = None
    before = server.requests
    result = solver(*common, "--api-key", "sk-good")
    assert result.returncode == 0, result.stderr
    assert server.requests - before == 7
    assert "12/12 samples" in result.stdout and "5 cache hits" in result.stdout
