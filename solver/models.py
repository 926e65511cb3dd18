"""An async client for OpenAI-compatible endpoints: chat completions and plain completions.

It speaks to OpenAI, Gemini's OpenAI-compatible API, vLLM, SGLang, llama.cpp's server and Ollama
alike. httpx errors and HTTP statuses become `solver.errors` at this boundary; transient ones
(429, 5xx, timeouts, dropped connections, malformed or cut-off bodies) are retried with
exponential backoff and jitter, honouring Retry-After; other 4xx are not.

httpcore's connection pool costs time quadratic in its size, so the client spreads its
connections over several small pools ("shards") rather than one pool of `concurrency`.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import math
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from solver.config import ModelConfig
from solver.errors import (
    AuthenticationError,
    ConnectFailed,
    ConnectionDropped,
    EndpointUnreachable,
    MalformedResponse,
    ModelError,
    RateLimited,
    RequestRejected,
    RequestTimeout,
    RetriesExhausted,
    ServerError,
    TransientError,
)

# Connections per pool: small enough that httpcore's per-request bookkeeping stays cheap.
SHARD_SIZE = 4
USER_AGENT = "solver-sampler/0.1"


@dataclass(frozen=True)
class CompletionRequest:
    """One request: `messages` for the chat API, `prompt` for plain completions."""

    messages: tuple[tuple[str, str], ...] = ()  # (role, content)
    prompt: str | None = None
    temperature: float = 1.0
    max_tokens: int = 4096
    n: int = 1
    stop: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    text: str
    finish_reason: str | None
    logprob: float | None = None  # sum over the generated tokens, when the server gave them
    logprob_tokens: int = 0


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    reported: bool = True  # False: the server sent no usage


@dataclass(frozen=True)
class Completion:
    choices: tuple[Choice, ...]
    usage: Usage
    model: str


@dataclass
class ClientStats:
    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # by TransientError.kind


Sleep = Callable[[float], Awaitable[None]]


class ModelClient:
    """Use as `async with ModelClient(config) as client: await client.complete(request)`.

    `transport` replaces the network (tests pass `httpx.MockTransport`); `sleep` and `rng`
    replace the backoff's clock and randomness.
    """

    def __init__(
        self,
        config: ModelConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.stats = ClientStats()
        self._sleep = sleep
        self._rng = rng or random.Random()
        # Parsed once: httpx would parse a string URL again for every request.
        self._url = httpx.URL(
            config.base_url.rstrip("/")
            + ("/chat/completions" if config.api == "chat" else "/completions")
        )
        self._reached = False  # has the endpoint ever answered (connect errors then retry)
        self._paused_until = 0.0  # a 429 pauses every request of this client, not just one
        self._slots = asyncio.Semaphore(config.concurrency)
        self._prompt_hashes: dict[tuple[tuple[tuple[str, str], ...], str | None], str] = {}
        headers = {"content-type": "application/json", "user-agent": USER_AGENT}
        if config.api_key:
            headers["authorization"] = f"Bearer {config.api_key}"
        timeout = httpx.Timeout(config.timeout_s, connect=config.connect_timeout_s, pool=None)
        if transport is not None:
            self._shards = [
                httpx.AsyncClient(transport=transport, headers=headers, timeout=timeout)
            ]
        else:
            count = math.ceil(config.concurrency / SHARD_SIZE)
            size = math.ceil(config.concurrency / count)
            limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
            # One TLS context for all shards: loading the CA bundle costs ~40 ms each time.
            verify = httpx.create_ssl_context() if self._url.scheme == "https" else False
            self._shards = [
                httpx.AsyncClient(headers=headers, timeout=timeout, limits=limits, verify=verify)
                for _ in range(count)
            ]
        self._load = [0] * len(self._shards)

    async def __aenter__(self) -> ModelClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for shard in self._shards:
            await shard.aclose()

    # -- requests ----------------------------------------------------------------------------

    def body(self, request: CompletionRequest) -> dict[str, Any]:
        """The JSON body sent for `request`; with n=1 it also identifies a sample for caching."""
        config = self.config
        body: dict[str, Any] = {"model": config.model}
        if config.api == "chat":
            body["messages"] = [{"role": r, "content": c} for r, c in request.messages]
        else:
            body["prompt"] = request.prompt or ""
        body["temperature"] = request.temperature
        body[config.max_tokens_param] = request.max_tokens
        if request.n > 1:  # some servers refuse the parameter altogether; 1 is the default
            body["n"] = request.n
        if request.stop:
            body["stop"] = list(request.stop)
        if config.logprobs:
            body["logprobs"] = True if config.api == "chat" else 1
        body.update(config.extra_body)
        return body

    def identity(self, request: CompletionRequest) -> dict[str, Any]:
        """What makes two samples interchangeable: endpoint, API, and the body without `n`.

        The prompt appears as its hash, computed once per prompt: thousands of samples share
        a few prompts, and hashing the body afresh for each would cost more than sending it.
        """
        body = self.body(replace(request, n=1))
        for field_name in ("messages", "prompt"):
            if field_name in body:
                body[field_name] = self._prompt_hash(request)
        return {"endpoint": self.config.base_url.rstrip("/"), "api": self.config.api, "body": body}

    def _prompt_hash(self, request: CompletionRequest) -> str:
        key = (request.messages, request.prompt)
        digest = self._prompt_hashes.get(key)
        if digest is None:
            text = json.dumps([list(m) for m in request.messages] or request.prompt)
            digest = self._prompt_hashes[key] = (
                "sha256:" + hashlib.sha256(text.encode()).hexdigest()
            )
        return digest

    async def complete(self, request: CompletionRequest) -> Completion:
        """The model's answers, after retrying transient failures; raises ModelError."""
        payload = json.dumps(self.body(request), ensure_ascii=False).encode()
        retry = self.config.retry
        attempt = connect_failures = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(payload)
            except ConnectFailed as error:
                self.stats.failures[error.kind] += 1
                connect_failures += 1
                # Refused before it ever answered: a wrong URL or a server that is down, so
                # say so now. After it has answered: maybe a restart, worth a few tries.
                if not self._reached or connect_failures >= retry.connect_attempts:
                    raise EndpointUnreachable(
                        f"cannot reach the model endpoint {self.config.base_url} ({error})"
                    ) from None
                last: TransientError = error
            except TransientError as error:
                self.stats.failures[error.kind] += 1
                last = error
            if attempt >= retry.max_attempts:
                raise RetriesExhausted(
                    f"the model endpoint kept failing after {attempt} attempts: {last}",
                    last=last,
                    attempts=attempt,
                )
            delay = self._delay_s(last, attempt)
            self.stats.retries += 1
            if delay > 0:
                await self._sleep(delay)

    def _delay_s(self, error: TransientError, attempt: int) -> float:
        retry = self.config.retry
        retry_after = getattr(error, "retry_after_s", None)
        if retry_after is None:
            return retry.backoff_s(attempt, self._rng)
        if retry_after > retry.retry_after_max_s:
            raise RetriesExhausted(
                f"the model endpoint asks to wait {retry_after:g} s (more than "
                f"retry.retry_after_max_s = {retry.retry_after_max_s:g}): {error}",
                last=error,
                attempts=attempt,
            )
        # Never sooner than asked, nor sooner than the first backoff (a Retry-After of 0 would
        # have every request hammer a struggling server); a little jitter against stampedes.
        wait = max(retry_after, retry.backoff_base_s)
        delay = wait + self._rng.random() * min(retry.backoff_base_s, wait * 0.1)
        if isinstance(error, RateLimited):
            # The limit is the key's, not this request's: every request waits (in _attempt).
            self._paused_until = max(self._paused_until, time.monotonic() + delay)
            return 0.0
        return delay

    async def _attempt(self, payload: bytes) -> Completion:
        pause = self._paused_until - time.monotonic()
        if pause > 0:
            await self._sleep(pause)
        async with self._slots:
            shard = min(range(len(self._shards)), key=self._load.__getitem__)
            self._load[shard] += 1
            self.stats.requests += 1
            try:
                response = await self._shards[shard].post(self._url, content=payload)
            except httpx.HTTPError as error:
                raise _map_transport_error(error) from None
            finally:
                self._load[shard] -= 1
        self._reached = True
        return self._interpret(response)

    def _interpret(self, response: httpx.Response) -> Completion:
        status = response.status_code
        if 200 <= status < 300:
            return parse_completion(response.content, self.config.api)
        what = f"{status} {response.reason_phrase}".strip()
        detail = _error_detail(response)
        message = f"{what}: {detail}" if detail else what
        if status in (401, 403):
            hint = (
                "" if self.config.api_key else "; no API key was given (--api-key, SOLVER_API_KEY)"
            )
            raise AuthenticationError(
                f"the model endpoint refused the API key ({message}){hint}", status=status
            )
        if status == 429:
            raise RateLimited(
                f"rate limited ({message})", retry_after_s=_retry_after_s(response.headers)
            )
        if status in (408, 409) or status >= 500:
            raise ServerError(
                f"server error ({message})",
                status=status,
                retry_after_s=_retry_after_s(response.headers),
            )
        hint = ""
        if status == 404 and not detail:
            hint = f"; is {self.config.base_url} the part of the URL before /chat/completions?"
        raise RequestRejected(
            f"the model endpoint rejected the request ({message}){hint}", status=status
        )


# -- the boundary: httpx errors and bodies -----------------------------------------------------


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    # anyio's message for a refused connection says nothing useful.
    return "connection refused" if text == "All connection attempts failed" else text


def _map_transport_error(error: httpx.HTTPError) -> ModelError:
    reason = _reason(error)
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return ConnectFailed(reason if reason != "ConnectTimeout" else "connect timed out")
    if isinstance(error, httpx.TimeoutException):
        return RequestTimeout(f"no answer in time ({type(error).__name__})")
    if isinstance(error, httpx.ProxyError):
        return EndpointUnreachable(f"the proxy failed: {reason}")
    if isinstance(error, httpx.DecodingError):
        return MalformedResponse(f"the response body cannot be decoded ({reason})")
    if isinstance(error, httpx.TransportError):
        return ConnectionDropped(f"the connection dropped ({reason})")
    return RequestRejected(f"the request could not be sent ({reason})")


def _retry_after_s(headers: httpx.Headers) -> float | None:
    """Retry-After as seconds (OpenAI also sends retry-after-ms); None when absent or unreadable."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_detail(response: httpx.Response) -> str:
    """The server's own explanation, on one short line."""
    try:
        data = response.json()
    except ValueError:
        text = response.text
    else:
        error = data.get("error") if isinstance(data, dict) else None
        if isinstance(error, dict):
            text = str(error.get("message") or "")
        elif isinstance(error, str):
            text = error
        elif isinstance(data, dict) and isinstance(data.get("message"), str):
            text = data["message"]
        else:
            text = ""
    text = " ".join(text.split())
    return text[:200] + ("..." if len(text) > 200 else "")


def _logprob(raw: object, api: str) -> tuple[float | None, int]:
    if not isinstance(raw, dict):
        return None, 0
    if api == "chat":
        items = raw.get("content")
        values = [i.get("logprob") for i in items if isinstance(i, dict)] if items else []
    else:
        values = raw.get("token_logprobs") or []
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    return (math.fsum(numbers), len(numbers)) if numbers else (None, 0)


def _text(choice: dict[str, Any], api: str) -> str:
    if api != "chat":
        text = choice.get("text")
    else:
        message = choice.get("message")
        if not isinstance(message, dict):
            raise MalformedResponse("a choice has no message")
        text = message.get("content")
        if isinstance(text, list):  # content parts
            text = "".join(p.get("text", "") for p in text if isinstance(p, dict))
    if text is None:  # a refusal or a tool call: an answer without text, not a broken body
        return ""
    if not isinstance(text, str):
        raise MalformedResponse("a choice's text is not a string")
    return text


def parse_completion(body: bytes, api: str) -> Completion:
    """A 2xx body as a Completion; anything else is a MalformedResponse (retried)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        head = body[:60].decode(errors="replace").replace("\n", " ")
        raise MalformedResponse(f"the response is not JSON ({len(body)} bytes: {head!r})") from None
    if not isinstance(data, dict):
        raise MalformedResponse("the response is not a JSON object")
    raw_choices = data.get("choices")
    if not isinstance(raw_choices, list) or not raw_choices:
        error = data.get("error")
        if error:
            raise MalformedResponse(f"the response is an error: {str(error)[:200]}")
        raise MalformedResponse("the response has no choices")
    if not all(isinstance(c, dict) for c in raw_choices):
        raise MalformedResponse("a choice is not a JSON object")
    ordered = sorted(
        raw_choices, key=lambda c: c.get("index", 0) if isinstance(c.get("index"), int) else 0
    )
    choices = []
    for raw in ordered:
        logprob, counted = _logprob(raw.get("logprobs"), api)
        finish = raw.get("finish_reason")
        choices.append(
            Choice(_text(raw, api), finish if isinstance(finish, str) else None, logprob, counted)
        )
    usage = data.get("usage")
    if isinstance(usage, dict) and isinstance(usage.get("prompt_tokens"), int):
        completion_tokens = usage.get("completion_tokens")
        used = Usage(
            usage["prompt_tokens"],
            completion_tokens if isinstance(completion_tokens, int) else 0,
        )
    else:
        used = Usage(0, 0, reported=False)
    model = data.get("model")
    return Completion(tuple(choices), used, model if isinstance(model, str) else "")
