"""Prompts: the statement, the examples, the limits, optional metadata and a person's hints.

Only what a contestant sees goes in: the statement file, `data/sample`, the limits, tags and a
rating when `problem.yaml` has them, and hints given on the command line. Never `data/secret`,
never `submissions/`.

Each sample gets a `Variant`: AlphaCode 2 randomizes the metadata in its prompts for diversity;
here the tags and the rating are each shown or hidden, tags shuffled, and one of a few short
approach notes is added. The variant is drawn from a seeded generator, so a rerun builds the
same prompts and finds its samples in the cache.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from sandbox.problem import Problem
from solver.errors import ProblemError

MAX_STATEMENT_CHARS = 40_000
MAX_EXAMPLES = 6
MAX_EXAMPLE_CHARS = 2_000


@dataclass(frozen=True)
class LanguageSpec:
    name: str  # as the prompt names it
    fence: str  # the Markdown code-fence tag that the answer should use
    notes: str  # what the judge does with it


LANGUAGES: dict[str, LanguageSpec] = {
    "cpp": LanguageSpec("C++", "cpp", "compiled with g++ -std=gnu++20 -O2"),
    "c": LanguageSpec("C", "c", "compiled with gcc -std=gnu11 -O2 -lm"),
    "python3": LanguageSpec("Python 3", "python", "run with CPython 3"),
    "java": LanguageSpec("Java", "java", "compiled with javac; the class with main is run"),
}

# Short notes on the approach, one drawn per sample (index 0: none).
APPROACH_NOTES = (
    "",
    "Consider the edge cases (smallest and largest inputs) before writing the code.",
    "Choose an algorithm whose complexity fits the limits comfortably.",
    "Prefer a simple, direct solution that is easy to check.",
)

SYSTEM_MESSAGE = (
    "You are an expert competitive programmer. You write correct and efficient programs "
    "that read standard input and write standard output, exactly in the required format."
)


@dataclass(frozen=True)
class Example:
    input: str
    output: str


@dataclass(frozen=True)
class ProblemText:
    """What a prompt may say about a problem."""

    slug: str
    name: str
    statement: str
    statement_format: str  # "markdown", "latex" or "text"
    examples: tuple[Example, ...]
    time_limit_s: float | None  # None: the package states none
    memory_mib: int
    interactive: bool = False
    tags: tuple[str, ...] = ()
    rating: int | None = None
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variant:
    """The randomized parts of one sample's prompt."""

    language: str
    show_tags: bool
    show_rating: bool
    tag_order: tuple[int, ...]
    approach: int

    def to_json(self) -> dict[str, object]:
        return {
            "language": self.language,
            "tags": self.show_tags,
            "rating": self.show_rating,
            "approach": self.approach,
        }


@dataclass(frozen=True)
class Prompt:
    messages: tuple[tuple[str, str], ...]  # for the chat API: (role, content)
    text: str  # for plain completions (base models): ends inside an open code fence
    stop: tuple[str, ...]  # for plain completions: where the program ends


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n... (truncated)\n"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _metadata(problem: Problem) -> tuple[tuple[str, ...], int | None]:
    """Tags (`tags` or Kattis' `keywords`) and a rating (`rating` or `difficulty`), if any."""
    path = problem.path / "problem.yaml"
    try:
        config = yaml.safe_load(_read(path)) if path.is_file() else None
    except yaml.YAMLError:
        config = None  # the loader has read it already; metadata is optional
    if not isinstance(config, dict):
        return (), None
    raw_tags = config.get("tags", config.get("keywords"))
    if isinstance(raw_tags, str):
        tags = tuple(t for t in raw_tags.replace(",", " ").split() if t)
    elif isinstance(raw_tags, list):
        tags = tuple(str(t) for t in raw_tags)
    else:
        tags = ()
    raw_rating = config.get("rating", config.get("difficulty"))
    rating = (
        raw_rating if isinstance(raw_rating, int) and not isinstance(raw_rating, bool) else None
    )
    return tags, rating


def problem_text(
    problem: Problem,
    *,
    hints: tuple[str, ...] = (),
    tags: tuple[str, ...] | None = None,
    rating: int | None = None,
) -> ProblemText:
    """The prompt's view of a loaded package; `tags` and `rating` override problem.yaml's."""
    if problem.statement is None:
        raise ProblemError(
            f"problem {problem.slug}: no statement (problem_statement/problem.md or .tex)"
        )
    suffix = problem.statement.suffix.lower()
    statement_format = {".md": "markdown", ".tex": "latex"}.get(suffix, "text")
    examples = tuple(
        Example(
            _clip(_read(case.input), MAX_EXAMPLE_CHARS),
            _clip(_read(case.answer), MAX_EXAMPLE_CHARS),
        )
        for case in problem.samples[:MAX_EXAMPLES]
    )
    file_tags, file_rating = _metadata(problem)
    return ProblemText(
        slug=problem.slug,
        name=problem.name,
        statement=_clip(_read(problem.statement).strip(), MAX_STATEMENT_CHARS),
        statement_format=statement_format,
        examples=examples,
        time_limit_s=problem.time_limit.seconds,
        memory_mib=problem.memory_mib,
        interactive=problem.interactive,
        tags=tags if tags is not None else file_tags,
        rating=rating if rating is not None else file_rating,
        hints=tuple(h.strip() for h in hints if h.strip()),
    )


def random_variant(rng: random.Random, problem: ProblemText, languages: tuple[str, ...]) -> Variant:
    """One draw of the randomized metadata; the number of draws never depends on the problem,
    so that a variant depends only on the generator's seed."""
    language = languages[rng.randrange(len(languages))]
    show_tags = rng.random() < 0.5
    show_rating = rng.random() < 0.5
    order = list(range(len(problem.tags)))
    rng.shuffle(order)
    approach = rng.randrange(len(APPROACH_NOTES))
    return Variant(
        language=language,
        show_tags=show_tags and bool(problem.tags),
        show_rating=show_rating and problem.rating is not None,
        tag_order=tuple(order),
        approach=approach,
    )


def _limits(problem: ProblemText) -> str:
    parts = []
    if problem.time_limit_s is not None:
        parts.append(f"Time limit: {problem.time_limit_s:g} second(s) per test.")
    parts.append(f"Memory limit: {problem.memory_mib} MiB.")
    return " ".join(parts)


def _body(problem: ProblemText, variant: Variant) -> list[str]:
    """The sections shared by both prompt forms."""
    kind = {"latex": " (LaTeX)", "markdown": "", "text": ""}[problem.statement_format]
    lines = [f"# Problem: {problem.name}", "", f"## Statement{kind}", "", problem.statement, ""]
    if problem.examples:
        lines += ["## Sample tests", ""]
        for number, example in enumerate(problem.examples, start=1):
            lines += [f"Input {number}:", "```", example.input.rstrip("\n"), "```"]
            lines += [f"Output {number}:", "```", example.output.rstrip("\n"), "```", ""]
    lines += ["## Judge limits", "", _limits(problem), ""]
    if variant.show_tags:
        tags = ", ".join(problem.tags[i] for i in variant.tag_order)
        lines += [f"Tags: {tags}", ""]
    if variant.show_rating:
        lines += [f"Difficulty rating: {problem.rating}", ""]
    if problem.hints:
        lines += ["## Hints", ""] + [f"- {hint}" for hint in problem.hints] + [""]
    return lines


def statement_sections(problem: ProblemText) -> list[str]:
    """The problem as prompts show it (statement, examples, limits, hints), without the parts a
    sample's variant randomizes: for the model's other tasks (input generators, validators)."""
    plain = Variant(
        language="python3", show_tags=False, show_rating=False, tag_order=(), approach=0
    )
    return _body(problem, plain)


def build_prompt(problem: ProblemText, variant: Variant) -> Prompt:
    spec = LANGUAGES[variant.language]
    body = _body(problem, variant)
    io = "standard input and writes to standard output"
    if problem.interactive:
        io += "; the problem is interactive, so flush the output after every line"
    task = [
        f"Write a complete {spec.name} program that solves this problem. It reads from {io}. "
        f"It will be {spec.notes}, and judged on hidden tests within the limits.",
    ]
    if APPROACH_NOTES[variant.approach]:
        task.append(APPROACH_NOTES[variant.approach])
    task.append(
        f"You may explain the idea briefly first; then give the whole program in one "
        f"```{spec.fence} code block."
    )
    user = "\n".join(body) + "\n## Task\n\n" + " ".join(task)
    text = (
        "\n".join(body)
        + f"\n## Solution\n\nA correct {spec.name} program that reads from {io}:\n\n"
        + f"```{spec.fence}\n"
    )
    return Prompt(messages=(("system", SYSTEM_MESSAGE), ("user", user)), text=text, stop=("```",))
