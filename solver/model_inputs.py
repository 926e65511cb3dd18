"""Test inputs written by a model: the third source of the selection's generated inputs.

As in AlphaCode 2 and OpenAI's IOI system, the model is asked for programs of two kinds:
generators, which print one valid input of the problem for the seed given as their argument, and
validators, which read an input and exit 42 when it meets every constraint of the statement (43
when not). Both are untrusted code and run only in the sandbox (generators with a contestant's
limits; validators as the package's own input validators are run). A
validator that rejects an example is not used; an input is kept when at least 75% of the usable
validators accept it (every input when none is usable). The model's answers are kept in the
sample cache, keyed as samples are, so a rerun asks nothing twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

import httpx

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder, Program
from sandbox.errors import SandboxError
from sandbox.languages import language_by_id
from sandbox.limits import Limits
from sandbox.validators import input_validator
from sandbox.verdicts import Verdict
from solver.config import Settings
from solver.extract import extract_program
from solver.models import CompletionRequest, ModelClient
from solver.prompts import SYSTEM_MESSAGE, ProblemText, statement_sections
from solver.samplecache import CachedSample, SampleCache, request_digest, sample_key

# What a model-written program may use: a contestant's limits, not a validator's.
PROGRAM_LIMITS = Limits(time_s=10.0, memory_mib=1024, output_mib=8, wall_s=20.0)
KEEP_SHARE = 0.75  # the share of usable validators that must accept an input

GENERATOR_TASK = (
    "Write a complete Python 3 program that prints one test input of this problem to standard "
    "output. It takes an integer seed as its first command-line argument and seeds all its "
    "random choices with it, so that different seeds give different inputs. Every input it "
    "prints must meet every constraint of the statement exactly: the format, every bound and "
    "every guarantee. Vary the cases with the seed: small seeds give the smallest and edge "
    "cases, larger seeds random and maximum-size cases. Give the whole program in one "
    "```python code block."
)
VALIDATOR_TASK = (
    "Write a complete Python 3 program that reads one test input of this problem from standard "
    "input and checks it strictly against the statement: the format (lines, tokens, "
    "whitespace), every bound and every guarantee. It exits with code 42 when the input is "
    "valid and 43 when it is not. Give the whole program in one ```python code block."
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ModelInputsConfig:
    generators: int = 4  # generator programs asked for
    validators: int = 4  # validator programs asked for (0: keep every generated input)
    seeds: int = 5  # runs of each generator, seeds 1..seeds
    temperature: float = 0.8
    max_tokens: int = 4096


@dataclass(frozen=True)
class ModelInputsPlan:
    """Where and how to ask for input generators: what the pipeline is given."""

    settings: Settings
    config: ModelInputsConfig = ModelInputsConfig()

    def key(self) -> str:
        """What identifies the inputs this plan makes (for the replay store's memo)."""
        model, c = self.settings.model, self.config
        return (
            f"model-inputs/{model.base_url.rstrip('/')}/{model.api}/{model.model}/"
            f"g={c.generators}/v={c.validators}/s={c.seeds}/t={c.temperature}/m={c.max_tokens}"
        )


@dataclass
class ModelInputs:
    inputs: list[bytes] = field(default_factory=list)
    generators: int = 0  # programs that built and printed at least one input
    validators: int = 0  # programs that built and accepted every example
    rejected: int = 0  # inputs fewer than KEEP_SHARE of the validators accepted
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.inputs)} inputs from {self.generators} model generators, "
            f"{self.validators} model validators, {self.rejected} rejected"
        )


def program_request(
    problem: ProblemText, task: str, config: ModelInputsConfig, *, chat: bool
) -> CompletionRequest:
    """One request for a generator or validator: chat messages, or a completion prompt that
    ends inside an open fence (and stops at its end; a chat answer opens its own fence)."""
    body = "\n".join(statement_sections(problem))
    return CompletionRequest(
        messages=(("system", SYSTEM_MESSAGE), ("user", f"{body}\n## Task\n\n{task}"))
        if chat
        else (),
        prompt=None if chat else f"{body}\n## Task\n\n{task}\n\n```python\n",
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        stop=() if chat else ("```",),
    )


async def _ask(
    settings: Settings,
    requests: Sequence[tuple[CompletionRequest, int]],
    cache: SampleCache,
    transport: httpx.AsyncBaseTransport | None,
) -> list[list[str]]:
    """For each (request, count): `count` answers, from the cache where it has them."""
    async with ModelClient(settings.model, transport=transport) as client:

        async def one(request: CompletionRequest, index: int) -> str:
            key = sample_key(request_digest(client.identity(request)), index)
            known = cache.get(key)
            if known is not None:
                return known.text
            completion = await client.complete(request)
            choice = completion.choices[0]
            cache.put_many(
                [
                    (
                        key,
                        CachedSample(
                            choice.text,
                            choice.finish_reason,
                            completion.usage.prompt_tokens,
                            completion.usage.completion_tokens,
                            completion.model,
                        ),
                    )
                ]
            )
            return choice.text

        groups = [
            asyncio.gather(*(one(request, index) for index in range(count)))
            for request, count in requests
        ]
        return [list(answers) for answers in await asyncio.gather(*groups)]


def _programs(
    answers: list[str], opened: bool, builder: Builder, folder: Path, kind: str
) -> list[Program]:
    """The answers' Python programs that build."""
    python = language_by_id("python3")
    built = []
    for number, answer in enumerate(answers):
        extraction = extract_program(answer, "python3", opened=opened)
        if not extraction.ok or extraction.language != "python3" or not extraction.source:
            continue
        source = folder / f"{kind}-{number}.py"
        source.write_text(extraction.source)
        try:
            result = builder.build(source, python)
        except SandboxError:
            continue
        if result.ok and result.program is not None:
            built.append(result.program)
    return built


def _generated(backend: LocalBackend, generator: Program, seeds: range) -> list[bytes]:
    """What the generator printed for each seed, where it exited cleanly within its limits."""
    printed = []
    with backend.box(generator.directory, language=generator.language) as box:
        for seed in seeds:
            box.reset_scratch()
            argv = generator.argv(box.program_root, PROGRAM_LIMITS.memory_mib) + [str(seed)]
            result = box.run(
                argv,
                stdin=None,
                limits=PROGRAM_LIMITS,
                limit_address_space=generator.language.limit_address_space,
            )
            if result.exited_cleanly and not result.output_limit_hit:
                printed.append(result.stdout_path.read_bytes())
    return printed


def model_inputs(
    problem: ProblemText,
    examples: Sequence[Path],
    settings: Settings,
    backend: LocalBackend,
    builder: Builder,
    folder: Path,
    *,
    config: ModelInputsConfig | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Progress | None = None,
) -> ModelInputs:
    """Inputs from model-written generators, screened by model-written validators. Raises
    ModelError when the endpoint fails for good (answers already received stay cached)."""
    config = config or ModelInputsConfig()
    folder.mkdir(parents=True, exist_ok=True)
    chat = settings.model.api == "chat"
    requests = [
        (program_request(problem, GENERATOR_TASK, config, chat=chat), config.generators),
        (program_request(problem, VALIDATOR_TASK, config, chat=chat), config.validators),
    ]
    with SampleCache(settings.cache_path) as cache:
        generator_answers, validator_answers = asyncio.run(
            _ask(settings, requests, cache, transport)
        )
    opened = not chat  # a completion prompt ends inside an open fence
    generators = _programs(generator_answers, opened, builder, folder, "generator")
    validators = _programs(validator_answers, opened, builder, folder, "validator")
    result = ModelInputs()
    printed = [_generated(backend, g, range(1, config.seeds + 1)) for g in generators]
    result.generators = sum(1 for outputs in printed if any(o.strip() for o in outputs))
    with ExitStack() as stack:
        boxes = [stack.enter_context(input_validator(backend, v)) for v in validators]
        usable = [b for b in boxes if all(b.check(e).verdict is Verdict.AC for e in examples)]
        result.validators = len(usable)
        if boxes and not usable:
            result.notes.append(f"none of {len(boxes)} model validators accepts every example")
        seen: set[bytes] = {e.read_bytes() for e in examples}
        candidate = folder / "candidate.in"
        # Seed by seed across the generators: when fewer inputs are wanted than made, each
        # generator's small cases come before any one generator's large ones.
        for data in (o for outputs in zip_longest(*printed) for o in outputs if o is not None):
            if not data.strip() or data in seen:
                continue
            seen.add(data)
            candidate.write_bytes(data)
            votes = sum(box.check(candidate).verdict is Verdict.AC for box in usable)
            if usable and votes < KEEP_SHARE * len(usable):
                result.rejected += 1
                continue
            result.inputs.append(data)
            if progress is not None:
                progress(result.summary())
    return result
