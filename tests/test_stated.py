"""The statement's stated lower bounds (solver.stated), and the fuzzer keeping them where no
validator screens its inputs."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from typer.testing import CliRunner

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.problem import load_problem
from solver.cli import app
from solver.stated import input_section, lower_bounds, stated_floor
from solver.testgen import generate_inputs
from tests.conftest import make_package, write

LATEX = r"""
\section*{Input}
The first line contains two integers $n$~($1 \leq n \leq 250$) and $m$ ($2 \le m \le 10^6$).
Each of the next $n$ lines holds $a_i$ ($0 < a_i \leq 2 \cdot 10^5$).

\section*{Output}
Print $x$ ($0 \le x$).
"""


def test_the_input_sections_lower_bounds_are_read_and_the_output_section_is_not() -> None:
    section = input_section(LATEX)
    assert "$a_i$" in section and "Print" not in section
    assert lower_bounds(section) == [1, 2, 1]  # 0 < a_i is a_i >= 1 for integers
    french = "\\begin{Input}\nun entier $n$ ($1 \\le n \\le 10^8$)\n\\end{Input}\n"
    assert lower_bounds(input_section(french)) == [1]
    markdown = (
        "# Sum\n\n## Input\n\nTwo integers a, b ≥ 3.\n\n## Output\n\nTheir sum, at least 0 ≤ s.\n"
    )
    assert lower_bounds(input_section(markdown)) == [3]
    assert lower_bounds("$-10^9 \\le a_i \\le 10^9$ and $1\\,000 \\le q$") == [
        Fraction(-(10**9)),
        1000,
    ]
    # A bound that subtracts (m >= n - 1, with n >= 2) may be below every constant, and an
    # absolute value has no lower bound: nothing is known.
    assert lower_bounds("$n$ ($2 \\le n$) and $m$ ($n-1 \\le m$)") == []
    assert lower_bounds("$1 \\le n$ and $|x_i| \\le 10^9$") == []  # x_i may be 0 or below
    assert input_section("No sections at all: $1 \\le n$.") == ""


def test_the_floor_is_positive_and_kept_by_every_example(tmp_path: Path) -> None:
    statement = write(tmp_path / "problem.tex", LATEX)
    assert stated_floor(statement, ["2 5\n3\n4\n"]) == 1
    assert stated_floor(statement, ["2 5\n0\n4\n"]) is None  # an example breaks it: misread
    negative = write(tmp_path / "negative.tex", LATEX.replace("$1 \\leq n", "$-5 \\leq n"))
    assert stated_floor(negative, ["2 5\n3\n4\n"]) is None  # not positive: says nothing new
    assert stated_floor(None, ["1\n"]) is None


def test_generated_inputs_keep_the_statements_floor_where_no_validator_screens(
    backend: LocalBackend, builder: Builder, tmp_path: Path
) -> None:
    """The tiny probes enumerate 0..3: with the statement saying 1 <= a, b, no input holds a
    zero; without a statement, some do."""

    def smallest(package: Path, floor: int | None) -> int:
        problem = load_problem(package)
        folder = tmp_path / f"{package.name}-inputs"
        made = generate_inputs(backend, builder, problem, folder, count=8, probes=40)
        assert made.probes and not made.screened and made.floor == floor
        return min(int(t) for p in made.inputs for t in p.read_text().split())

    bare = make_package(tmp_path / "bare")
    stated = make_package(tmp_path / "stated")
    write(
        stated / "problem_statement" / "problem.en.md",
        "# Sum\n\n## Input\n\nTwo integers $a$ and $b$ ($1 \\le a, b \\le 10^9$).\n\n"
        "## Output\n\nTheir sum.\n",
    )
    assert smallest(bare, None) <= 0
    assert smallest(stated, 1) == 1
    pool = tmp_path / "pool"
    write(pool / "sum.py", "a, b = map(int, input().split())\nprint(a + b)\n")
    solved = CliRunner().invoke(app, ["solve", str(stated), "--pool", str(pool), "--inputs", "8"])
    assert solved.exit_code == 0, solved.output
    assert "statement: no integer below 1" in solved.output  # the inputs stage says so
