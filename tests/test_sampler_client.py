"""The model client through httpx.MockTransport: bodies, parsing, retries, errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from solver.config import ModelConfig, Prices, RetryPolicy
from solver.errors import (
    AuthenticationError,
    EndpointUnreachable,
    MalformedResponse,
    RequestRejected,
    RetriesExhausted,
    ServerError,
)
from solver.models import CompletionRequest, ModelClient, parse_completion

REQUEST = CompletionRequest(messages=(("user", "add two numbers"),), temperature=0.7, max_tokens=64)


def ok(n: int = 1, *, usage: bool = True, text: str = "```python\nprint(1)\n```") -> httpx.Response:
    data: dict = {
        "model": "m-served",
        "choices": [
            {"index": i, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            for i in reversed(range(n))
        ],
    }
    if usage:
        data["usage"] = {"prompt_tokens": 11, "completion_tokens": 7 * n}
    return httpx.Response(200, json=data)


class Script:
    """Answers requests in turn from a list of responses (or exceptions to raise)."""

    def __init__(
        self, *steps: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]
    ) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if callable(step) and not isinstance(step, httpx.Response):
            return step(request)
        return step


def config(**overrides: object) -> ModelConfig:
    values: dict = {
        "base_url": "http://model.test/v1",
        "model": "m",
        "api_key": "sk-test",
        "retry": RetryPolicy(max_attempts=4, backoff_base_s=0.5, backoff_max_s=8),
    }
    values.update(overrides)
    return ModelConfig(**values)


def run(script: Script, request: CompletionRequest = REQUEST, **overrides: object):
    """Completes one request; returns (completion or exception, the sleeps, the client)."""
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def go():
        async with ModelClient(
            config(**overrides), transport=httpx.MockTransport(script), sleep=sleep
        ) as client:
            try:
                return await client.complete(request), client
            except Exception as error:  # noqa: BLE001 - returned for the test to inspect
                return error, client

    result, client = asyncio.run(go())
    return result, sleeps, client


def test_chat_body_headers_and_parsing() -> None:
    script = Script(ok(3))
    completion, sleeps, client = run(
        script, CompletionRequest(messages=REQUEST.messages, temperature=0.7, max_tokens=64, n=3)
    )
    sent = script.requests[0]
    assert sent.url == "http://model.test/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert json.loads(sent.content) == {
        "model": "m",
        "messages": [{"role": "user", "content": "add two numbers"}],
        "temperature": 0.7,
        "max_tokens": 64,
        "n": 3,
    }
    assert len(completion.choices) == 3 and completion.choices[0].finish_reason == "stop"
    assert completion.usage.prompt_tokens == 11 and completion.usage.completion_tokens == 21
    assert completion.model == "m-served"
    assert sleeps == [] and client.stats.requests == 1 and client.stats.retries == 0


def test_plain_completions_body_and_extra_parameters() -> None:
    answer = httpx.Response(
        200,
        json={
            "choices": [
                {
                    "index": 0,
                    "text": "print(1)\n",
                    "finish_reason": "stop",
                    "logprobs": {"token_logprobs": [-0.25, -0.5, None]},
                }
            ]
        },
    )
    script = Script(answer)
    request = CompletionRequest(
        prompt="# Problem\n```python\n", temperature=0.3, max_tokens=10, stop=("```",)
    )
    completion, _, _ = run(
        script,
        request,
        api="completions",
        logprobs=True,
        extra_body={"top_p": 0.9},
        max_tokens_param="max_completion_tokens",
    )
    body = json.loads(script.requests[0].content)
    assert script.requests[0].url.path == "/v1/completions"
    assert body == {
        "model": "m",
        "prompt": "# Problem\n```python\n",
        "temperature": 0.3,
        "max_completion_tokens": 10,
        "stop": ["```"],
        "logprobs": 1,
        "top_p": 0.9,
    }
    choice = completion.choices[0]
    assert choice.text == "print(1)\n" and choice.logprob == -0.75 and choice.logprob_tokens == 2
    assert not completion.usage.reported


def test_chat_logprobs_are_summed() -> None:
    data = {
        "choices": [
            {
                "index": 0,
                "message": {"content": "x"},
                "logprobs": {
                    "content": [{"token": "x", "logprob": -1.0}, {"token": "y", "logprob": -0.5}]
                },
            }
        ]
    }
    completion = parse_completion(json.dumps(data).encode(), "chat")
    assert completion.choices[0].logprob == -1.5 and completion.choices[0].logprob_tokens == 2


def test_429_waits_as_long_as_retry_after_says() -> None:
    limited = httpx.Response(
        429, headers={"retry-after": "2"}, json={"error": {"message": "slow down"}}
    )
    completion, sleeps, client = run(Script(limited, ok()))
    assert len(completion.choices) == 1
    assert len(sleeps) == 1 and 2.0 <= sleeps[0] <= 2.2
    assert client.stats.retries == 1 and client.stats.failures == {"rate-limited": 1}


def test_retry_after_ms_and_http_dates_are_understood() -> None:
    limited = httpx.Response(429, headers={"retry-after-ms": "1500"})
    _, sleeps, _ = run(Script(limited, ok()))
    assert 1.5 <= sleeps[0] <= 1.7
    dated = httpx.Response(503, headers={"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    _, sleeps, _ = run(Script(dated, ok()))
    assert 0.5 <= sleeps[0] <= 0.6  # a date in the past: the first backoff


def test_a_retry_after_beyond_the_maximum_ends_at_once() -> None:
    error, sleeps, _ = run(Script(httpx.Response(429, headers={"retry-after": "3600"})))
    assert isinstance(error, RetriesExhausted) and "3600" in str(error)
    assert sleeps == []


def test_5xx_timeouts_drops_and_bad_bodies_are_retried_with_growing_backoff() -> None:
    script = Script(
        httpx.Response(500, json={"error": {"message": "boom"}}),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
        httpx.Response(200, content=b'{"choices": ['),
        ok(),
    )
    completion, sleeps, client = run(
        script, retry=RetryPolicy(max_attempts=5, backoff_base_s=0.5, backoff_max_s=8)
    )
    assert len(completion.choices) == 1
    assert len(sleeps) == 4 and len(script.requests) == 5
    for attempt, slept in enumerate(sleeps, start=1):
        ceiling = min(8, 0.5 * 2 ** (attempt - 1))
        assert ceiling / 2 <= slept <= ceiling  # exponential, with jitter
    assert client.stats.failures == {"server-error": 1, "timeout": 1, "dropped": 1, "malformed": 1}


def test_retries_run_out() -> None:
    error, sleeps, client = run(Script(httpx.Response(502)))
    assert isinstance(error, RetriesExhausted) and isinstance(error.last, ServerError)
    assert error.attempts == 4 and len(sleeps) == 3 and client.stats.requests == 4
    assert "502" in str(error) and "\n" not in str(error)


@pytest.mark.parametrize("status", [400, 404, 422])
def test_other_4xx_are_not_retried(status: int) -> None:
    script = Script(httpx.Response(status, json={"error": {"message": "model 'm' does not exist"}}))
    error, sleeps, _ = run(script)
    assert isinstance(error, RequestRejected) and error.status == status
    assert "does not exist" in str(error)
    assert sleeps == [] and len(script.requests) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_ends_at_once(status: int) -> None:
    script = Script(
        httpx.Response(status, json={"error": {"message": "Incorrect API key provided"}})
    )
    error, sleeps, _ = run(script)
    assert isinstance(error, AuthenticationError) and "refused the API key" in str(error)
    assert sleeps == [] and len(script.requests) == 1
    error, _, _ = run(Script(httpx.Response(401)), api_key=None)
    assert "no API key was given" in str(error)


def test_an_endpoint_that_never_answered_is_unreachable_at_once() -> None:
    script = Script(httpx.ConnectError("All connection attempts failed"))
    error, sleeps, _ = run(script)
    assert isinstance(error, EndpointUnreachable)
    assert str(error) == "cannot reach the model endpoint http://model.test/v1 (connection refused)"
    assert sleeps == [] and len(script.requests) == 1


def test_refused_connections_after_it_has_answered_are_retried_a_few_times() -> None:
    async def go() -> tuple[object, list[float], int]:
        sleeps: list[float] = []

        async def sleep(seconds: float) -> None:
            sleeps.append(seconds)

        script = Script(ok(), httpx.ConnectError("refused"), ok(), httpx.ConnectError("refused"))
        retry = RetryPolicy(max_attempts=8, backoff_base_s=0.1, connect_attempts=3)
        async with ModelClient(
            config(retry=retry), transport=httpx.MockTransport(script), sleep=sleep
        ) as client:
            await client.complete(REQUEST)  # it answers
            await client.complete(REQUEST)  # one refusal, then an answer
            try:
                await client.complete(REQUEST)  # refused for good
            except EndpointUnreachable as error:
                return error, sleeps, len(script.requests)
        raise AssertionError("expected EndpointUnreachable")

    error, sleeps, requests = asyncio.run(go())
    assert isinstance(error, EndpointUnreachable)
    assert requests == 1 + 2 + 3 and len(sleeps) == 1 + 2


def test_a_429_pauses_the_other_requests_too() -> None:
    async def go() -> list[float]:
        sleeps: list[float] = []

        async def sleep(seconds: float) -> None:
            sleeps.append(seconds)

        script = Script(httpx.Response(429, headers={"retry-after": "5"}), ok())
        async with ModelClient(
            config(), transport=httpx.MockTransport(script), sleep=sleep
        ) as client:
            await client.complete(REQUEST)  # rate limited once, then fine
            await client.complete(REQUEST)  # the pause still runs: it waits before sending
        return sleeps

    sleeps = asyncio.run(go())
    assert len(sleeps) == 2 and sleeps[0] >= 5 and 4 < sleeps[1] <= sleeps[0]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"choices": []}',
        b'{"error": {"message": "overloaded"}}',
        b'{"choices": [{"index": 0}]}',
    ],
)
def test_malformed_bodies_are_recognised(body: bytes) -> None:
    with pytest.raises(MalformedResponse):
        parse_completion(body, "chat")


def test_null_content_is_an_empty_answer_not_an_error() -> None:
    body = json.dumps(
        {"choices": [{"index": 0, "message": {"content": None}, "finish_reason": "content_filter"}]}
    )
    assert parse_completion(body.encode(), "chat").choices[0].text == ""


def test_prices_estimate_the_cost() -> None:
    assert Prices(1.0, 2.0).cost(1_000_000, 500_000) == pytest.approx(2.0)
    assert not Prices().configured
