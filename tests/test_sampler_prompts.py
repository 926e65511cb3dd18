"""Prompts hold the statement, the examples, the limits, metadata and hints, and nothing secret."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sandbox.problem import load_problem
from solver.errors import ProblemError
from solver.prompts import APPROACH_NOTES, Variant, build_prompt, problem_text, random_variant
from tests.conftest import make_package, write

STATEMENT = "# Sum\n\nGiven $a$ and $b$, print $a + b$.\n"


def package(
    tmp_path: Path, *, yaml_extra: str = "", statement: str | None = STATEMENT, suffix: str = "md"
) -> Path:
    root = make_package(
        tmp_path / "sum",
        problem_yaml=f"name: Sum\nvalidation: default\nlimits:\n  memory: 512\n{yaml_extra}",
        tests={
            "sample/1": ("1 2\n", "3\n"),
            "sample/2": ("10 20\n", "30\n"),
            "secret/1": ("SECRET-INPUT 77\n", "SECRET-ANSWER 99\n"),
        },
        timelimit="2",
    )
    if statement is not None:
        write(root / "problem_statement" / f"problem.en.{suffix}", statement)
    write(root / "submissions" / "accepted" / "sol.py", "print('SUBMISSION-SOURCE')\n")
    return root


def every_text(prompt) -> str:
    return prompt.text + "".join(content for _, content in prompt.messages)


def test_the_prompt_has_statement_examples_limits_and_no_secrets(tmp_path: Path) -> None:
    text = problem_text(load_problem(package(tmp_path)), hints=("Use 64-bit integers.",))
    variant = Variant("cpp", show_tags=False, show_rating=False, tag_order=(), approach=0)
    prompt = build_prompt(text, variant)
    (system, _), (role, user) = prompt.messages
    assert system == "system" and role == "user"
    assert "Given $a$ and $b$, print $a + b$." in user
    assert "Input 1:\n```\n1 2\n```\nOutput 1:\n```\n3\n```" in user
    assert "Input 2:" in user and "30" in user
    assert "Time limit: 2 second(s) per test. Memory limit: 512 MiB." in user
    assert "- Use 64-bit integers." in user
    assert "C++" in user and "```cpp" in user
    for secret in ("SECRET-INPUT", "SECRET-ANSWER", "SUBMISSION-SOURCE"):
        assert secret not in every_text(prompt)


def test_plain_completion_prompts_end_inside_an_open_fence(tmp_path: Path) -> None:
    text = problem_text(load_problem(package(tmp_path)))
    prompt = build_prompt(text, Variant("python3", False, False, (), 0))
    assert prompt.text.endswith("```python\n") and prompt.stop == ("```",)
    assert "Python 3" in prompt.text and "Given $a$" in prompt.text


def test_tags_and_rating_from_problem_yaml_are_shown_or_hidden_by_the_variant(
    tmp_path: Path,
) -> None:
    root = package(tmp_path, yaml_extra="tags: [math, implementation]\nrating: 800\n")
    text = problem_text(load_problem(root))
    assert text.tags == ("math", "implementation") and text.rating == 800
    shown = build_prompt(text, Variant("cpp", True, True, (1, 0), 2)).messages[1][1]
    assert "Tags: implementation, math" in shown and "Difficulty rating: 800" in shown
    assert APPROACH_NOTES[2] in shown
    hidden = build_prompt(text, Variant("cpp", False, False, (0, 1), 0)).messages[1][1]
    assert "Tags:" not in hidden and "rating" not in hidden
    assert problem_text(load_problem(root), tags=("dp",), rating=2000).tags == ("dp",)


def test_kattis_keywords_count_as_tags(tmp_path: Path) -> None:
    root = package(tmp_path, yaml_extra="keywords: greedy sorting\n")
    assert problem_text(load_problem(root)).tags == ("greedy", "sorting")


def test_latex_statements_are_labelled(tmp_path: Path) -> None:
    root = package(tmp_path, statement="\\problemname{Sum}\nPrint $a+b$.\n", suffix="tex")
    text = problem_text(load_problem(root))
    assert text.statement_format == "latex"
    assert (
        "## Statement (LaTeX)"
        in build_prompt(text, Variant("cpp", False, False, (), 0)).messages[1][1]
    )


def test_a_problem_without_statement_cannot_be_prompted(tmp_path: Path) -> None:
    with pytest.raises(ProblemError, match="no statement"):
        problem_text(load_problem(package(tmp_path, statement=None)))


def test_variants_are_random_but_reproducible(tmp_path: Path) -> None:
    text = problem_text(
        load_problem(package(tmp_path, yaml_extra="tags: [a, b, c]\nrating: 1200\n"))
    )
    draws = [random_variant(random.Random(f"0:{g}"), text, ("cpp", "python3")) for g in range(64)]
    again = [random_variant(random.Random(f"0:{g}"), text, ("cpp", "python3")) for g in range(64)]
    assert draws == again
    assert {v.language for v in draws} == {"cpp", "python3"}
    assert {v.show_tags for v in draws} == {True, False}
    assert {v.show_rating for v in draws} == {True, False}
    assert len({v.approach for v in draws}) == len(APPROACH_NOTES)
    assert len({v.tag_order for v in draws}) > 1
    # Without tags or a rating, nothing is shown, whatever the draw.
    plain = problem_text(load_problem(package(tmp_path / "plain")))
    assert not any(random_variant(random.Random(g), plain, ("cpp",)).show_tags for g in range(20))
