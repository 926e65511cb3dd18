"""Drawing many candidate programs for one problem from a model, within a budget.

Sample i belongs to request group i // n_per_request; each group draws its temperature and its
prompt's metadata from a generator seeded with (seed, group), so with the default of one sample
per request every sample has its own, as in AlphaCode 2, and a rerun rebuilds the same
requests. Samples already in the cache are used as they are; the rest are requested with `n`
set to the group's missing samples, falling back to smaller `n` (parallel requests) when the
server returns fewer choices than asked or refuses `n` outright.

The budget (samples, tokens, cost) is kept by reserving, before each request, the most it can
cost (prompt plus max_tokens per sample): sampling stops when the next request might overrun,
and every sample drawn until then is kept. An endpoint that fails for good (unreachable, key
refused, retries exhausted) ends the run: requests already answering get a short grace, the
rest are cancelled, and the error is raised with every sample so far in the cache and given to
`on_sample`.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import random
import sys
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import httpx

from sandbox.problem import Problem
from solver.config import ModelConfig, Settings
from solver.errors import ConfigError, RequestRejected
from solver.extract import Extraction, Outcome, extract_program
from solver.models import Completion, CompletionRequest, ModelClient, Sleep
from solver.pool import Candidate, PoolWriter, merge_identical, normalized_source
from solver.prompts import (
    LANGUAGES,
    ProblemText,
    Prompt,
    Variant,
    build_prompt,
    problem_text,
    random_variant,
)
from solver.samplecache import CachedSample, SampleCache, request_digest, sample_key


@dataclass(frozen=True)
class SamplingConfig:
    samples: int
    languages: tuple[str, ...] = ("cpp",)
    max_tokens: int = 4096
    temperature_min: float = 0.2
    temperature_max: float = 1.0
    seed: int = 0
    budget_tokens: int | None = None  # prompt + completion tokens spent by this run
    budget_cost: float | None = None  # in the prices' currency; needs prices configured
    abort_grace_s: float = 3.0  # after a fatal error, how long answers in flight may finish

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise ConfigError("the number of samples must be at least 1")
        unknown = [lang for lang in self.languages if lang not in LANGUAGES]
        if unknown or not self.languages:
            known = ", ".join(LANGUAGES)
            raise ConfigError(f"cannot prompt for language {unknown or '(none)'} (known: {known})")
        if self.max_tokens < 1:
            raise ConfigError("max_tokens must be at least 1")
        if not 0 <= self.temperature_min <= self.temperature_max <= 2:
            raise ConfigError(
                "temperatures must satisfy 0 <= min <= max <= 2, not "
                f"{self.temperature_min:g} and {self.temperature_max:g}"
            )
        if self.budget_tokens is not None and self.budget_tokens < 1:
            raise ConfigError("the token budget must be at least 1")
        if self.budget_cost is not None and self.budget_cost <= 0:
            raise ConfigError("the cost budget must be positive")


@dataclass(frozen=True)
class Sample:
    index: int
    requested_language: str
    temperature: float
    variant: Variant
    answer: CachedSample
    cached: bool
    extraction: Extraction
    candidate: Candidate | None  # the extracted program, with this sample's metadata


@dataclass
class SamplerStats:
    target: int
    drawn: int = 0  # samples obtained, from the cache or the model
    cache_hits: int = 0
    with_code: int = 0
    distinct: int = 0  # distinct programs among them
    outcomes: Counter[str] = field(default_factory=Counter)  # extraction outcomes
    prompt_tokens: int = 0  # spent by this run (cache hits cost nothing)
    completion_tokens: int = 0
    cost: float | None = None  # None when no prices are configured
    usage_estimated: bool = False  # the server reported no usage; tokens were estimated
    requests: int = 0  # HTTP requests, retries included
    retries: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # transient failures by kind
    stopped_by: str | None = None  # "token budget" or "cost budget" when the budget ended it
    elapsed_s: float = 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_json(self) -> dict[str, Any]:
        return {
            "samples": self.target,
            "drawn": self.drawn,
            "with_code": self.with_code,
            "distinct": self.distinct,
            "rejected": {k: v for k, v in sorted(self.outcomes.items()) if k != Outcome.OK},
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "tokens": self.tokens,
            "usage_estimated": self.usage_estimated,
            "cost": round(self.cost, 6) if self.cost is not None else None,
            "requests": self.requests,
            "retries": self.retries,
            "failures": dict(sorted(self.failures.items())),
            "cache_hits": self.cache_hits,
            "stopped_by": self.stopped_by,
            "elapsed_s": round(self.elapsed_s, 3),
        }


@dataclass(frozen=True)
class SampleRun:
    samples: tuple[Sample, ...]  # in index order
    candidates: tuple[Candidate, ...]  # distinct programs, identical ones merged (`count`)
    stats: SamplerStats


OnSample = Callable[[Sample, SamplerStats], None]


@dataclass(frozen=True)
class _Spec:
    """One request group: what its samples were asked with."""

    group: int
    temperature: float
    variant: Variant
    prompt: Prompt
    request: CompletionRequest
    digest: str


@dataclass(frozen=True)
class _Unit:
    spec: _Spec
    indices: tuple[int, ...]
    reserved_tokens: float = 0.0
    reserved_cost: float = 0.0


class Sampler:
    """Draws `sampling.samples` samples for `problem`: `await sampler.run()`, once."""

    def __init__(
        self,
        problem: ProblemText,
        model: ModelConfig,
        sampling: SamplingConfig,
        cache: SampleCache,
        *,
        on_sample: OnSample | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if sampling.budget_cost is not None and not model.prices.configured:
            raise ConfigError("a cost budget needs prices ([prices] in the config file)")
        self.problem = problem
        self.model = model
        self.sampling = sampling
        self.cache = cache
        self.stats = SamplerStats(target=sampling.samples)
        if model.prices.configured:
            self.stats.cost = 0.0
        self._on_sample = on_sample
        self._transport = transport
        self._sleep = sleep
        self._group_size = model.n_per_request
        self._max_n = model.n_per_request  # lowered when the server gives fewer choices
        self._groups = math.ceil(sampling.samples / self._group_size)
        self._next_group = 0
        self._queue: deque[_Unit] = deque()  # units put back: split, or waiting for budget
        self._inflight = 0
        self._reserved_tokens = 0.0
        self._reserved_cost = 0.0
        self._prompt_tokens: dict[Prompt, int] = {}  # reported prompt size, for reservations
        self._tokens_per_char = 0.0
        self._prompts: dict[Variant, Prompt] = {}
        self._samples: list[Sample] = []
        self._programs: set[bytes] = set()
        self._fatal: BaseException | None = None
        self._fatal_event = asyncio.Event()
        self._change: asyncio.Future[None] | None = None
        self._client: ModelClient | None = None

    # -- the run -----------------------------------------------------------------------------

    async def run(self) -> SampleRun:
        started = time.monotonic()
        self._client = ModelClient(self.model, transport=self._transport, sleep=self._sleep)
        workers: list[asyncio.Task[None]] = []
        try:
            workers = [
                asyncio.create_task(self._worker())
                for _ in range(min(self.model.concurrency, self.sampling.samples))
            ]
            await self._until_done(workers)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            self._sync_client_stats()
            await self._client.aclose()
            self.stats.elapsed_s = time.monotonic() - started
        if self._fatal is not None:
            raise self._fatal
        samples = tuple(sorted(self._samples, key=lambda s: s.index))
        candidates = merge_identical(s.candidate for s in samples if s.candidate is not None)
        return SampleRun(samples, tuple(candidates), self.stats)

    async def _until_done(self, workers: list[asyncio.Task[None]]) -> None:
        fatal = asyncio.create_task(self._fatal_event.wait())
        try:
            pending = set(workers)
            while pending:
                done, _ = await asyncio.wait(pending | {fatal}, return_when=asyncio.FIRST_COMPLETED)
                pending -= done
                if fatal in done:
                    # Answers already on their way are paid for: give them a moment.
                    if pending:
                        await asyncio.wait(pending, timeout=self.sampling.abort_grace_s)
                    return
        finally:
            fatal.cancel()

    async def _worker(self) -> None:
        while True:
            try:
                unit = await self._take()  # emits cache hits, which may fail to be written
            except Exception as error:  # noqa: BLE001 - any failure ends the run, raised by run()
                self._fail(error)
                return
            if unit is None:
                return
            try:
                await self._draw(unit)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001
                self._fail(error)
                return
            finally:
                self._inflight -= 1
                self._reserved_tokens -= unit.reserved_tokens
                self._reserved_cost -= unit.reserved_cost
                self._notify()

    def _fail(self, error: Exception) -> None:
        if self._fatal is None:
            self._fatal = error
        self._fatal_event.set()
        self._notify()  # wake idle workers so that they end

    # -- scheduling --------------------------------------------------------------------------

    def _notify(self) -> None:
        if self._change is not None and not self._change.done():
            self._change.set_result(None)
        self._change = None

    async def _changed(self) -> None:
        if self._change is None:
            self._change = asyncio.get_running_loop().create_future()
        await self._change

    async def _take(self) -> _Unit | None:
        """The next unit to request, once the budget allows it; None when there is no more."""
        while True:
            if self._fatal is not None or self.stats.stopped_by is not None:
                return None
            unit = self._next_unit()
            if unit is None:
                if self._inflight == 0:
                    return None
                await self._changed()  # a unit in flight may yet put samples back
                continue
            tokens, cost = self._estimate(unit)
            if self._affordable(tokens, cost):
                self._inflight += 1
                self._reserved_tokens += tokens
                self._reserved_cost += cost
                return replace(unit, reserved_tokens=tokens, reserved_cost=cost)
            self._queue.appendleft(unit)
            if self._inflight == 0:  # nothing will free budget: stop here, cleanly
                too_many_tokens = self.sampling.budget_tokens is not None and (
                    self.stats.tokens + tokens > self.sampling.budget_tokens
                )
                self.stats.stopped_by = "token budget" if too_many_tokens else "cost budget"
                return None
            await self._changed()

    def _next_unit(self) -> _Unit | None:
        """A unit put back, else the next group's samples that the cache does not have."""
        while True:
            if self._queue:
                unit = self._queue.popleft()
            elif self._next_group < self._groups:
                unit = self._group_unit(self._next_group)
                self._next_group += 1
                if unit is None:
                    continue
            else:
                return None
            if len(unit.indices) > self._max_n:
                self._queue.appendleft(replace(unit, indices=unit.indices[self._max_n :]))
                unit = replace(unit, indices=unit.indices[: self._max_n])
            return unit

    def _spec(self, group: int) -> _Spec:
        sampling = self.sampling
        rng = random.Random(f"{sampling.seed}:{group}")
        temperature = round(rng.uniform(sampling.temperature_min, sampling.temperature_max), 3)
        variant = random_variant(rng, self.problem, sampling.languages)
        prompt = self._prompts.get(variant)
        if prompt is None:
            prompt = self._prompts[variant] = build_prompt(self.problem, variant)
        chat = self.model.api == "chat"
        request = CompletionRequest(
            messages=prompt.messages if chat else (),
            prompt=None if chat else prompt.text,
            temperature=temperature,
            max_tokens=sampling.max_tokens,
            stop=() if chat else prompt.stop,
        )
        assert self._client is not None
        digest = request_digest(self._client.identity(request))
        return _Spec(group, temperature, variant, prompt, request, digest)

    def _group_unit(self, group: int) -> _Unit | None:
        """Emits the group's cached samples; returns the rest as a unit (None if none)."""
        spec = self._spec(group)
        first = group * self._group_size
        indices = range(first, min(first + self._group_size, self.sampling.samples))
        keys = {index: sample_key(spec.digest, index) for index in indices}
        found = self.cache.get_many(list(keys.values()))
        missing = []
        for index in indices:
            hit = found.get(keys[index])
            if hit is None:
                missing.append(index)
            else:
                self._emit(spec, index, hit, cached=True)
        return _Unit(spec, tuple(missing)) if missing else None

    # -- budget ------------------------------------------------------------------------------

    def _estimate(self, unit: _Unit) -> tuple[float, float]:
        """The most a unit can cost: its prompt plus max_tokens for each sample. The prompt's
        size is as reported before; for a prompt not sent yet, its length in characters at the
        largest tokens-per-character seen so far (with a margin), else a token per three."""
        prompt = self._prompt_tokens.get(unit.spec.prompt)
        if prompt is None:
            chars = _chars(unit.spec.request)
            ratio = self._tokens_per_char
            prompt = math.ceil(chars * ratio * 1.05) + 8 if ratio else chars // 3 + 16
        completion = self.sampling.max_tokens * len(unit.indices)
        return float(prompt + completion), self.model.prices.cost(prompt, completion)

    def _affordable(self, tokens: float, cost: float) -> bool:
        budget_tokens, budget_cost = self.sampling.budget_tokens, self.sampling.budget_cost
        if budget_tokens is not None and (
            self.stats.tokens + self._reserved_tokens + tokens > budget_tokens
        ):
            return False
        spent = self.stats.cost or 0.0
        return budget_cost is None or spent + self._reserved_cost + cost <= budget_cost

    # -- drawing -----------------------------------------------------------------------------

    async def _draw(self, unit: _Unit) -> None:
        assert self._client is not None
        wanted = len(unit.indices)
        request = replace(unit.spec.request, n=wanted)
        try:
            completion = await self._client.complete(request)
        except RequestRejected:
            if wanted > 1:
                # Some servers refuse `n` > 1 outright: ask one sample per request from now on.
                self._max_n = 1
                self._queue.appendleft(unit)
                return
            raise
        finally:
            self._sync_client_stats()
        choices = completion.choices[:wanted]
        if len(choices) < wanted:
            # The server honours `n` only up to this (llama.cpp: not at all); the rest go back.
            self._max_n = len(choices)
            self._queue.appendleft(replace(unit, indices=unit.indices[len(choices) :]))
        prompt_tokens, completion_tokens = self._account(unit, completion)
        shares = list(
            zip(
                _split(prompt_tokens, len(choices)),
                _split(completion_tokens, len(choices)),
                strict=True,
            )
        )
        answers = [
            CachedSample(
                text=choice.text,
                finish_reason=choice.finish_reason,
                prompt_tokens=prompt_share,
                completion_tokens=completion_share,
                model=completion.model or self.model.model,
                logprob=choice.logprob,
                logprob_tokens=choice.logprob_tokens,
            )
            for choice, (prompt_share, completion_share) in zip(choices, shares, strict=True)
        ]
        indices = unit.indices[: len(choices)]
        self.cache.put_many(
            (sample_key(unit.spec.digest, index), answer)
            for index, answer in zip(indices, answers, strict=True)
        )
        for index, answer in zip(indices, answers, strict=True):
            self._emit(unit.spec, index, answer, cached=False)

    def _account(self, unit: _Unit, completion: Completion) -> tuple[int, int]:
        usage = completion.usage
        if usage.reported:
            prompt, generated = usage.prompt_tokens, usage.completion_tokens
            self._prompt_tokens[unit.spec.prompt] = prompt
            ratio = prompt / max(1, _chars(unit.spec.request))
            self._tokens_per_char = max(self._tokens_per_char, ratio)
        else:  # rough: about four characters a token
            self.stats.usage_estimated = True
            prompt = math.ceil(_chars(unit.spec.request) / 4)
            generated = sum(math.ceil(len(c.text) / 4) for c in completion.choices)
        self.stats.prompt_tokens += prompt
        self.stats.completion_tokens += generated
        if self.stats.cost is not None:
            self.stats.cost += self.model.prices.cost(prompt, generated)
        return prompt, generated

    def _sync_client_stats(self) -> None:
        if self._client is not None:
            self.stats.requests = self._client.stats.requests
            self.stats.retries = self._client.stats.retries
            self.stats.failures = Counter(self._client.stats.failures)

    def _emit(self, spec: _Spec, index: int, answer: CachedSample, *, cached: bool) -> None:
        language = spec.variant.language
        extraction = extract_program(
            answer.text,
            language,
            opened=self.model.api == "completions",
            truncated=answer.finish_reason == "length",
        )
        candidate = None
        if extraction.ok:
            assert extraction.source is not None and extraction.language is not None
            metadata: dict[str, Any] = {
                "problem": self.problem.slug,
                "sample": index,
                "requested_language": language,
                "temperature": spec.temperature,
                "variant": spec.variant.to_json(),
                "model": answer.model,
                "prompt_tokens": answer.prompt_tokens,
                "completion_tokens": answer.completion_tokens,
                "finish_reason": answer.finish_reason,
            }
            if answer.logprob is not None:
                metadata["logprob"] = answer.logprob
                metadata["logprob_tokens"] = answer.logprob_tokens
            candidate = Candidate(extraction.language, extraction.source, metadata)
            digest = hashlib.blake2b(
                f"{candidate.language}\0{normalized_source(candidate.source)}".encode(),
                digest_size=16,
            ).digest()
            self._programs.add(digest)
        sample = Sample(
            index, language, spec.temperature, spec.variant, answer, cached, extraction, candidate
        )
        self._samples.append(sample)
        stats = self.stats
        stats.drawn += 1
        stats.cache_hits += cached
        stats.outcomes[extraction.outcome] += 1
        stats.with_code += extraction.ok
        stats.distinct = len(self._programs)
        if self._on_sample is not None:
            self._on_sample(sample, stats)


def _chars(request: CompletionRequest) -> int:
    """The size of what a request sends as its prompt."""
    return sum(len(content) for _, content in request.messages) or len(request.prompt or "")


def _split(total: int, parts: int) -> list[int]:
    """`total` in `parts` near-equal integers (a request's usage over its samples)."""
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


# -- a synchronous entry point, and the command line's progress and summary ----------------------


def sample_problem(
    problem: Problem | ProblemText,
    settings: Settings,
    sampling: SamplingConfig,
    *,
    hints: tuple[str, ...] = (),
    out: Path | None = None,
    on_sample: OnSample | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SampleRun:
    """Draws the samples (from the cache where it has them); with `out`, writes each program
    to that JSONL pool as it arrives. Raises ModelError when the endpoint fails for good."""
    text = problem if isinstance(problem, ProblemText) else problem_text(problem, hints=hints)
    with SampleCache(settings.cache_path) as cache:
        writer = PoolWriter(out) if out is not None else None
        try:

            def record(sample: Sample, stats: SamplerStats) -> None:
                if writer is not None and sample.candidate is not None:
                    writer.write(sample.candidate)
                if on_sample is not None:
                    on_sample(sample, stats)

            sampler = Sampler(
                text, settings.model, sampling, cache, on_sample=record, transport=transport
            )
            return asyncio.run(sampler.run())
        finally:
            if writer is not None:
                writer.close()


class Progress:
    """Progress on a stream: one line rewritten in place on a terminal, else a line now and
    then. Keeps the latest stats, so an error message can say how much was kept."""

    def __init__(self, stream: IO[str] | None = None, *, interval_s: float | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.interval_s = interval_s if interval_s is not None else (0.2 if self.tty else 5.0)
        self.stats: SamplerStats | None = None
        self._last = 0.0
        self._shown = False

    def __call__(self, sample: Sample, stats: SamplerStats) -> None:
        self.stats = stats
        now = time.monotonic()
        if now - self._last >= self.interval_s or stats.drawn == stats.target:
            self._last = now
            self._show(stats)

    def _show(self, stats: SamplerStats) -> None:
        cost = f", ${stats.cost:.4f}" if stats.cost is not None else ""
        line = (
            f"sampled {stats.drawn}/{stats.target}: {stats.with_code} with code, "
            f"{stats.distinct} distinct, {stats.tokens:,} tokens{cost}, "
            f"{stats.retries} retries, {stats.cache_hits} cached"
        )
        if self.tty:
            self.stream.write("\r\x1b[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self.tty and self._shown:
            self.stream.write("\n")
            self.stream.flush()
        self._shown = False

    @property
    def kept(self) -> int:
        return self.stats.drawn if self.stats is not None else 0


def summary_line(stats: SamplerStats, out: Path | None = None) -> str:
    cost = f"${stats.cost:.4f}" if stats.cost is not None else "cost unknown (no prices)"
    estimated = " (estimated)" if stats.usage_estimated else ""
    line = (
        f"{stats.drawn}/{stats.target} samples, {stats.with_code} with code, "
        f"{stats.distinct} distinct programs; {stats.tokens:,} tokens{estimated} "
        f"({stats.prompt_tokens:,} in, {stats.completion_tokens:,} out), {cost}; "
        f"{stats.requests} requests, {stats.retries} retries, {stats.cache_hits} cache hits"
    )
    if stats.stopped_by:
        line += f"; stopped by the {stats.stopped_by}"
    if out is not None:
        line += f"; pool {out}"
    return line
