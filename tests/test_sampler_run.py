"""The sampler through httpx.MockTransport: caching, randomization, n, budgets, merging, errors."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from solver.config import ModelConfig, Prices, RetryPolicy, Settings
from solver.errors import AuthenticationError, ConfigError, PoolError, RetriesExhausted
from solver.extract import Outcome
from solver.prompts import Example, ProblemText
from solver.samplecache import SampleCache
from solver.sampler import Sample, Sampler, SamplerStats, SamplingConfig, sample_problem

PROBLEM = ProblemText(
    slug="sum",
    name="Sum",
    statement="Print the sum of two integers.",
    statement_format="markdown",
    examples=(Example("1 2\n", "3\n"),),
    time_limit_s=1.0,
    memory_mib=256,
    tags=("math",),
    rating=800,
)


class Endpoint:
    """A scripted OpenAI-compatible endpoint for MockTransport; counts what it is asked."""

    def __init__(
        self, *, honour_n: bool = True, refuse_n: bool = False, usage: bool = True
    ) -> None:
        self.honour_n = honour_n
        self.refuse_n = refuse_n
        self.usage = usage
        self.bodies: list[dict] = []
        self.answer = lambda number: (
            f'```cpp\n#include <cstdio>\nint main() {{ puts("{number % 7}"); }}\n```'
        )
        self.status_after: tuple[int, int] | None = None  # (requests, status)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        if self.status_after and len(self.bodies) > self.status_after[0]:
            return httpx.Response(self.status_after[1], json={"error": {"message": "nope"}})
        n = body.get("n", 1)
        if self.refuse_n and n > 1:
            return httpx.Response(400, json={"error": {"message": "n must be 1"}})
        n = n if self.honour_n else 1
        choices = []
        for i in range(n):
            number = (
                sum(len(b.get("messages", [])) for b in self.bodies) * 10 + i + len(self.bodies)
            )
            choices.append(
                {
                    "index": i,
                    "message": {"content": self.answer(number)},
                    "finish_reason": "stop",
                    "logprobs": {"content": [{"logprob": -0.25}] * 4},
                }
            )
        data: dict = {"model": body["model"], "choices": choices}
        if self.usage:
            data["usage"] = {"prompt_tokens": 100, "completion_tokens": 30 * n}
        return httpx.Response(200, json=data)


def model(**overrides: object) -> ModelConfig:
    values: dict = {
        "base_url": "http://model.test/v1",
        "model": "m",
        "concurrency": 4,
        "retry": RetryPolicy(max_attempts=3, backoff_base_s=0.001),
    }
    values.update(overrides)
    return ModelConfig(**values)


def draw(
    tmp_path: Path,
    endpoint: Endpoint,
    sampling: SamplingConfig,
    seen: list[Sample] | None = None,
    **overrides: object,
):
    async def go():
        with SampleCache(tmp_path / "samples.sqlite") as cache:

            def on_sample(sample: Sample, stats: SamplerStats) -> None:
                if seen is not None:
                    seen.append(sample)

            sampler = Sampler(
                PROBLEM,
                model(**overrides),
                sampling,
                cache,
                on_sample=on_sample,
                transport=httpx.MockTransport(endpoint),
            )
            return await sampler.run()

    return asyncio.run(go())


def test_each_sample_has_its_own_temperature_and_a_rerun_sends_nothing(tmp_path: Path) -> None:
    endpoint = Endpoint()
    run = draw(
        tmp_path, endpoint, SamplingConfig(samples=20, temperature_min=0.3, temperature_max=0.9)
    )
    stats = run.stats
    assert stats.drawn == 20 and stats.requests == 20 and stats.cache_hits == 0
    temperatures = [s.temperature for s in run.samples]
    assert all(0.3 <= t <= 0.9 for t in temperatures) and len(set(temperatures)) > 15
    assert [s.index for s in run.samples] == list(range(20))
    assert stats.prompt_tokens == 20 * 100 and stats.completion_tokens == 20 * 30
    assert stats.with_code == 20 and stats.distinct == len(run.candidates) <= 7
    assert sum(c.metadata["count"] for c in run.candidates) == 20
    meta = run.samples[0].candidate.metadata
    assert meta["sample"] == 0 and meta["model"] == "m" and meta["temperature"] == temperatures[0]
    assert meta["logprob"] == -1.0 and meta["logprob_tokens"] == 4 and meta["problem"] == "sum"
    assert set(meta["variant"]) == {"language", "tags", "rating", "approach"}

    again = draw(
        tmp_path, endpoint, SamplingConfig(samples=20, temperature_min=0.3, temperature_max=0.9)
    )
    assert len(endpoint.bodies) == 20  # not one more request
    assert again.stats.cache_hits == 20 and again.stats.requests == 0 and again.stats.tokens == 0
    assert [s.answer.text for s in again.samples] == [s.answer.text for s in run.samples]


def test_a_longer_run_resumes_and_another_seed_draws_anew(tmp_path: Path) -> None:
    endpoint = Endpoint()
    draw(tmp_path, endpoint, SamplingConfig(samples=5))
    longer = draw(tmp_path, endpoint, SamplingConfig(samples=12))
    assert longer.stats.cache_hits == 5 and len(endpoint.bodies) == 12
    draw(tmp_path, endpoint, SamplingConfig(samples=5, seed=1))
    assert len(endpoint.bodies) == 17


def test_n_is_used_where_the_server_honours_it(tmp_path: Path) -> None:
    endpoint = Endpoint()
    run = draw(tmp_path, endpoint, SamplingConfig(samples=10), n_per_request=4)
    assert [b.get("n", 1) for b in endpoint.bodies] == [4, 4, 2]
    assert run.stats.drawn == 10 and run.stats.prompt_tokens == 300
    # Samples of one request share its temperature; requests differ.
    assert len({s.temperature for s in run.samples[:4]}) == 1
    assert len({s.temperature for s in run.samples}) == 3


def test_parallel_requests_where_the_server_ignores_n(tmp_path: Path) -> None:
    endpoint = Endpoint(honour_n=False)
    run = draw(tmp_path, endpoint, SamplingConfig(samples=10), n_per_request=4)
    assert run.stats.drawn == 10 and len(endpoint.bodies) == 10
    assert endpoint.bodies[0]["n"] == 4 and all("n" not in b for b in endpoint.bodies[-5:])
    again = draw(tmp_path, endpoint, SamplingConfig(samples=10), n_per_request=4)
    assert again.stats.cache_hits == 10 and len(endpoint.bodies) == 10


def test_a_server_that_refuses_n_gets_one_sample_per_request(tmp_path: Path) -> None:
    endpoint = Endpoint(refuse_n=True)
    run = draw(tmp_path, endpoint, SamplingConfig(samples=6), n_per_request=3, concurrency=1)
    assert run.stats.drawn == 6
    assert [b.get("n", 1) for b in endpoint.bodies] == [3, 1, 1, 1, 1, 1, 1]


def test_a_token_budget_stops_cleanly_without_overrunning(tmp_path: Path) -> None:
    endpoint = Endpoint()
    # Each request reserves its prompt (100 tokens once known, a little more for a prompt
    # not sent yet) and 50 tokens of answer; it spends 130.
    sampling = SamplingConfig(samples=50, max_tokens=50, budget_tokens=1000)
    seen: list[Sample] = []
    run = draw(tmp_path, endpoint, sampling, seen=seen)
    stats = run.stats
    assert stats.stopped_by == "token budget"
    assert 0 < stats.drawn < 50 and stats.tokens <= 1000
    assert stats.tokens + 160 > 1000  # it stopped only when one more might overrun
    assert len(seen) == stats.drawn == len(endpoint.bodies)
    # What was drawn is kept: a rerun with a larger budget continues from there.
    more = draw(tmp_path, endpoint, SamplingConfig(samples=50, max_tokens=50))
    assert more.stats.cache_hits == stats.drawn and more.stats.drawn == 50


def test_a_cost_budget_needs_prices_and_stops_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs prices"):
        draw(tmp_path, Endpoint(), SamplingConfig(samples=5, budget_cost=1.0))
    prices = Prices(input_per_mtok=1000.0, output_per_mtok=1000.0)  # 130 tokens: $0.13
    run = draw(
        tmp_path,
        Endpoint(),
        SamplingConfig(samples=50, max_tokens=50, budget_cost=1.0),
        prices=prices,
    )
    assert run.stats.stopped_by == "cost budget"
    assert 0 < run.stats.drawn < 50 and run.stats.cost <= 1.0
    assert run.stats.cost == pytest.approx(run.stats.tokens * 1000 / 1e6)


def test_a_budget_too_small_for_one_request_draws_nothing(tmp_path: Path) -> None:
    endpoint = Endpoint()
    run = draw(tmp_path, endpoint, SamplingConfig(samples=5, max_tokens=4096, budget_tokens=1000))
    assert run.stats.drawn == 0 and run.stats.stopped_by == "token budget"
    assert endpoint.bodies == []


def test_a_refused_key_mid_run_raises_and_keeps_what_was_drawn(tmp_path: Path) -> None:
    endpoint = Endpoint()
    endpoint.status_after = (6, 401)
    seen: list[Sample] = []
    with pytest.raises(AuthenticationError):
        draw(tmp_path, endpoint, SamplingConfig(samples=30), seen=seen, concurrency=1)
    assert len(seen) == 6
    endpoint.status_after = None
    rerun = draw(tmp_path, endpoint, SamplingConfig(samples=30), concurrency=1)
    assert rerun.stats.cache_hits == 6 and rerun.stats.requests == 24


def test_answers_without_code_are_counted_not_candidates(tmp_path: Path) -> None:
    endpoint = Endpoint(usage=False)
    endpoint.answer = lambda number: (
        "I am not sure." if number % 2 else f"```python\nprint({number})\n```"
    )
    run = draw(tmp_path, endpoint, SamplingConfig(samples=10, languages=("python3",)))
    stats = run.stats
    assert stats.drawn == 10 and 0 < stats.with_code < 10
    assert stats.outcomes[Outcome.NO_CODE] == 10 - stats.with_code
    assert all(c.language == "python3" for c in run.candidates)
    assert stats.usage_estimated and stats.tokens > 0
    assert stats.to_json()["rejected"] == {"no code": 10 - stats.with_code}


def test_plain_completions_for_base_models(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert body["prompt"].endswith("```cpp\n") and body["stop"] == ["```"]
        text = '#include <cstdio>\nint main() { puts("3"); }\n'
        return httpx.Response(
            200, json={"choices": [{"index": 0, "text": text, "finish_reason": "stop"}]}
        )

    async def go():
        with SampleCache(tmp_path / "c.sqlite") as cache:
            sampler = Sampler(
                PROBLEM,
                model(api="completions"),
                SamplingConfig(samples=3),
                cache,
                transport=httpx.MockTransport(handler),
            )
            return await sampler.run()

    run = asyncio.run(go())
    assert run.stats.with_code == 3 and len(run.candidates) == 1
    assert run.candidates[0].language == "cpp" and run.candidates[0].metadata["count"] == 3


def test_sample_problem_writes_the_pool_as_samples_arrive(tmp_path: Path) -> None:
    settings = Settings(model=model(), cache_path=tmp_path / "c.sqlite")
    out = tmp_path / "pool.jsonl"
    lines_seen: list[int] = []

    def on_sample(sample: Sample, stats: SamplerStats) -> None:
        lines_seen.append(len(out.read_text().splitlines()))

    run = sample_problem(
        PROBLEM,
        settings,
        SamplingConfig(samples=8),
        out=out,
        on_sample=on_sample,
        transport=httpx.MockTransport(Endpoint()),
    )
    assert lines_seen == list(range(1, 9))  # each line on disk before the next sample
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["sample"] for r in records) == list(range(8))
    assert all(r["language"] == "cpp" and "int main" in r["source"] for r in records)
    assert run.stats.drawn == 8


def test_sampling_options_are_checked() -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        SamplingConfig(samples=0)
    with pytest.raises(ConfigError, match="cobol"):
        SamplingConfig(samples=1, languages=("cobol",))
    with pytest.raises(ConfigError, match="temperatures"):
        SamplingConfig(samples=1, temperature_min=0.9, temperature_max=0.1)


def test_concurrency_is_limited(tmp_path: Path) -> None:
    inflight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal inflight, peak
        inflight += 1
        peak = max(peak, inflight)
        await asyncio.sleep(0.01)
        inflight -= 1
        return Endpoint()(request)

    async def go():
        with SampleCache(tmp_path / "c.sqlite") as cache:
            sampler = Sampler(
                PROBLEM,
                model(concurrency=3),
                SamplingConfig(samples=20),
                cache,
                transport=httpx.MockTransport(handler),
            )
            return await sampler.run()

    assert asyncio.run(go()).stats.drawn == 20
    assert peak == 3


def test_an_endpoint_that_keeps_failing_ends_the_run_with_the_error(tmp_path: Path) -> None:
    endpoint = Endpoint()
    endpoint.status_after = (3, 503)
    with pytest.raises(RetriesExhausted, match="503"):
        draw(tmp_path, endpoint, SamplingConfig(samples=10), concurrency=2)


def test_a_failing_pool_writer_ends_the_run_even_on_cache_hits(tmp_path: Path) -> None:
    draw(tmp_path, Endpoint(), SamplingConfig(samples=4))

    def broken(sample: Sample, stats: SamplerStats) -> None:
        raise PoolError("pool.jsonl: cannot be written (No space left on device)")

    async def go():
        with SampleCache(tmp_path / "samples.sqlite") as cache:
            sampler = Sampler(
                PROBLEM,
                model(),
                SamplingConfig(samples=4),
                cache,
                on_sample=broken,
                transport=httpx.MockTransport(Endpoint()),
            )
            return await sampler.run()

    with pytest.raises(PoolError, match="No space left"):
        asyncio.run(go())
