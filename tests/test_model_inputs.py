"""Model-written input generators and validators, against a real OpenAI-compatible server on
loopback: the programs it answers with run in the sandbox, validators screen the inputs, and a
rerun asks the model nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.problem import load_problem
from solver.config import ModelConfig, RetryPolicy, Settings
from solver.model_inputs import ModelInputsConfig, model_inputs
from solver.prompts import problem_text
from tests.conftest import REPO
from tests.fakeserver import FakeOpenAI

PAVING = REPO / "problems" / "paving"

# Paving's input: one line "W H a", each 1..10^9. The first generator keeps to it; the second
# breaks the bound half the time (W = 0); the third crashes; the fourth prints nothing.
GENERATORS = [
    "import random, sys\nr = random.Random(int(sys.argv[1]))\n"
    "print(r.randint(1, 10**9), r.randint(1, 10**9), r.randint(1, 10**9))\n",
    "import sys\ns = int(sys.argv[1])\nprint(0 if s % 2 else s, 7, 3)\n",
    "import sys\nprint(1 // (int(sys.argv[1]) * 0))\n",
    "import sys\nprint(' ' * int(sys.argv[1]))\n",
]
VALIDATORS = [
    # Two strict validators and a lax one: an input needs 3 of 3 (>= 75%) to be kept.
    "import sys\nw, h, a = map(int, sys.stdin.read().split())\n"
    "sys.exit(42 if all(1 <= v <= 10**9 for v in (w, h, a)) else 43)\n",
    "import sys\nv = sys.stdin.read().split()\n"
    "sys.exit(42 if len(v) == 3 and min(map(int, v)) >= 1 else 43)\n",
    "import sys\nprint(len(sys.stdin.read()))\nsys.exit(42)\n",
    # Rejects the examples: not used.
    "import sys\nprint(len(sys.stdin.read()))\nsys.exit(43)\n",
]


def answerer() -> Callable[[dict[str, Any], int], str]:
    """Each kind's programs in turn, whatever order the concurrent requests arrive in (the
    server calls this from its one event loop thread)."""
    served = {"generator": 0, "validator": 0}

    def answer(request: dict[str, Any], number: int) -> str:
        text = request["messages"][-1]["content"] if "messages" in request else request["prompt"]
        kind = "generator" if "prints one test input" in text else "validator"
        programs = GENERATORS if kind == "generator" else VALIDATORS
        program = programs[served[kind] % len(programs)]
        served[kind] += 1
        if "prompt" in request:  # a completion prompt ends inside an open fence
            return program
        return f"Here it is.\n\n```python\n{program}```\n"

    return answer


def settings(base_url: str, cache: Path, api: str = "chat") -> Settings:
    retry = RetryPolicy(max_attempts=3, backoff_base_s=0.01, backoff_max_s=0.1, connect_attempts=2)
    model = ModelConfig(base_url=base_url, model="fake-coder", api=api, retry=retry)
    return Settings(model=model, cache_path=cache)


def test_generated_inputs_are_screened_by_the_validators_and_cached(
    tmp_path: Path, backend: LocalBackend, builder: Builder
) -> None:
    problem = load_problem(PAVING)
    examples = [case.input for case in problem.samples]
    config = ModelInputsConfig(generators=4, validators=4, seeds=4)
    with FakeOpenAI(answer=answerer()) as server:
        made = model_inputs(
            problem_text(problem),
            examples,
            settings(server.base_url, tmp_path / "samples.sqlite"),
            backend,
            builder,
            tmp_path / "first",
            config=config,
        )
        assert server.answered == 8
        assert (made.generators, made.validators) == (2, 3)
        # Four from the good generator, two from the second (seeds 2 and 4); its W = 0 input
        # (seeds 1 and 3 print the same one) is rejected once.
        assert len(made.inputs) == 6 and made.rejected == 1
        assert {b"2 7 3\n", b"4 7 3\n"} <= set(made.inputs)
        for data in made.inputs:
            w, h, a = map(int, data.split())
            assert min(w, h, a) >= 1
        # Seed by seed across the generators: the two seed-2 inputs before any seed-4 one.
        assert made.inputs.index(b"2 7 3\n") < 3 and made.inputs.index(b"4 7 3\n") >= 4

        again = model_inputs(
            problem_text(problem),
            examples,
            settings(server.base_url, tmp_path / "samples.sqlite"),
            backend,
            builder,
            tmp_path / "second",
            config=config,
        )
        assert server.requests == 8  # every answer came from the cache
        assert again.inputs == made.inputs


def test_the_model_is_asked_with_the_statement_and_examples(
    tmp_path: Path, backend: LocalBackend, builder: Builder
) -> None:
    problem = load_problem(PAVING)
    config = ModelInputsConfig(generators=1, validators=0, seeds=1)
    with FakeOpenAI(answer=answerer()) as server:
        made = model_inputs(
            problem_text(problem),
            [case.input for case in problem.samples],
            settings(server.base_url, tmp_path / "samples.sqlite"),
            backend,
            builder,
            tmp_path / "work",
            config=config,
        )
        (body,) = server.bodies
    prompt = body["messages"][-1]["content"]
    assert "Paving the Courtyard" in prompt and "10 6 4" in prompt
    assert "first command-line argument" in prompt
    assert made.validators == 0 and len(made.inputs) == 1  # no validator: every input is kept


def test_a_chat_request_has_no_stop_and_a_completion_prompt_ends_in_a_fence(
    tmp_path: Path, backend: LocalBackend, builder: Builder
) -> None:
    problem = load_problem(PAVING)
    config = ModelInputsConfig(generators=1, validators=1, seeds=2)
    made = {}
    for api in ("chat", "completions"):
        with FakeOpenAI(answer=answerer()) as server:
            made[api] = model_inputs(
                problem_text(problem),
                [case.input for case in problem.samples],
                settings(server.base_url, tmp_path / f"{api}.sqlite", api),
                backend,
                builder,
                tmp_path / api,
                config=config,
            )
            bodies = server.bodies
        if api == "chat":
            assert all("stop" not in body for body in bodies)  # it would cut at the fence
        else:
            assert all(body["stop"] == ["```"] for body in bodies)
            assert all(body["prompt"].endswith("```python\n") for body in bodies)
    assert made["chat"].inputs == made["completions"].inputs and len(made["chat"].inputs) == 2
