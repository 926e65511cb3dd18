"""Properties from a person: Python expressions over `inp` and `out`, checked in the sandbox.

`--property 'len(out.split()) == int(inp.split()[0])'` says something every correct output
satisfies. The expressions are never evaluated in the solver's own process: they are only
parsed here (for a one-line error on a typo), then written into a small checker program that
runs in the sandbox like any candidate, through the batch API. Its standard input carries one
(input, output) pair: a line with the input's length in bytes, the input, then the output.

Each distinct answer (one per answer class and input, from clustering) is checked once; a
candidate whose answer on any input breaks a property, or makes it raise, is dropped. A
property that would drop every candidate contradicts them all: it is reported and not applied,
since it cannot tell them apart.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.batch import RunJob, run_batch
from sandbox.build import Builder
from sandbox.languages import language_by_id
from sandbox.limits import Limits
from solver.cluster import Clustering
from solver.errors import SolverError

PROPERTY_LIMITS = Limits(time_s=5.0, memory_mib=1024, output_mib=1)
MAX_CHECKED_BYTES = 16 * 1024 * 1024  # longer outputs are not checked (they pass)

Progress = Callable[[int, int], None]

_CHECKER = '''\
"""Checks properties of one (input, output) pair: one line per property, 1, 0 or E <error>."""
import math
import re
import sys

PROPERTIES = {properties!r}


def tokens(text):
    return text.split()


def ints(text):
    return [int(t) for t in re.findall(r"-?\\d+", text)]


def floats(text):
    return [float(t) for t in re.findall(r"-?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?", text)]


def lines(text):
    return text.splitlines()


def main():
    data = sys.stdin.buffer.read()
    head, _, rest = data.partition(b"\\n")
    size = int(head)
    inp = rest[:size].decode("utf-8", "replace")
    out = rest[size:].decode("utf-8", "replace")
    helpers = {{"math": math, "re": re, "tokens": tokens, "ints": ints, "floats": floats,
               "lines": lines}}
    results = []
    for expression in PROPERTIES:
        try:
            # One namespace, so that comprehensions in the expression see inp and out.
            value = eval(expression, dict(helpers, inp=inp, out=out))
            results.append("1" if value else "0")
        except Exception as error:
            message = str(error)[:100].replace("\\n", " ")
            results.append("E " + type(error).__name__ + ": " + message)
    sys.stdout.write("\\n".join(results) + "\\n")


main()
'''


class PropertyError(SolverError):
    pass


@dataclass
class PropertyReport:
    expression: str
    dropped: int = 0  # candidates it removed (0 when not applied)
    violating: int = 0  # candidates whose answers break it
    errors: int = 0  # (input, answer) pairs on which it raised
    first_error: str = ""
    applied: bool = True
    contradicts_all: bool = False

    def describe(self) -> str:
        if self.contradicts_all:
            text = (
                f"property {self.expression!r} contradicts all {self.violating} candidates: "
                "not applied"
            )
        else:
            text = f"property {self.expression!r} dropped {self.dropped} candidates"
        if self.errors:
            text += f" ({self.errors} answers made it raise, e.g. {self.first_error})"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "expression": self.expression,
            "dropped": self.dropped,
            "violating": self.violating,
            "errors": self.errors,
            "first_error": self.first_error,
            "applied": self.applied,
            "contradicts_all": self.contradicts_all,
        }


def parse_properties(expressions: tuple[str, ...]) -> tuple[str, ...]:
    """Parses (never runs) each expression; a syntax error is the user's, in one line."""
    for expression in expressions:
        try:
            ast.parse(expression, mode="eval")
        except SyntaxError as error:
            raise PropertyError(
                f"property {expression!r} is not a Python expression: {error.msg}"
            ) from None
    return expressions


def checker_source(expressions: tuple[str, ...]) -> str:
    return _CHECKER.format(properties=list(expressions))


def check_properties(
    backend: LocalBackend,
    builder: Builder,
    expressions: tuple[str, ...],
    clustering: Clustering,
    inputs: list[Path],
    workdir: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> tuple[set[int], list[PropertyReport]]:
    """The candidates to drop, and a report per property."""
    if not expressions:
        return set(), []
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / "properties.py"
    source.write_text(checker_source(expressions))
    built = builder.build(source, language_by_id("python3"))
    if not built.ok or built.program is None:
        raise PropertyError(f"the property checker does not compile: {built.message[:200]}")
    jobs = []
    for position, number in enumerate(clustering.kept_inputs):
        given = inputs[number].read_bytes()
        for class_id, output in clustering.representatives[position].items():
            if len(output) > MAX_CHECKED_BYTES:
                continue
            pair = workdir / f"pair-{position}-{class_id}"
            pair.write_bytes(f"{len(given)}\n".encode() + given + output)
            jobs.append(RunJob(built.program, pair, PROPERTY_LIMITS, (position, class_id)))
    reports = [PropertyReport(e) for e in expressions]
    broken: dict[tuple[int, int], set[int]] = {}  # (input position, class) -> properties broken
    for done, result in enumerate(run_batch(backend, jobs, workers=workers), start=1):
        key = result.job.program_key
        assert isinstance(key, tuple) and result.run is not None
        lines = result.output.decode(errors="replace").splitlines()
        if result.run.exit_code != 0 or len(lines) != len(expressions):
            # The checker itself failed (time, memory): a fault of no candidate.
            lines = ["E the property checker failed"] * len(expressions)
        for index, line in enumerate(lines):
            if line == "1":
                continue
            broken.setdefault(key, set()).add(index)
            if line.startswith("E"):
                reports[index].errors += 1
                reports[index].first_error = reports[index].first_error or line[2:]
        if progress is not None:
            progress(done, len(jobs))

    candidates = sorted(clustering.behaviour)
    violators: list[set[int]] = [set() for _ in expressions]
    for position, per_candidate in enumerate(clustering.classes):
        for candidate, class_id in per_candidate.items():
            for index in broken.get((position, class_id), ()):
                violators[index].add(candidate)
    dropped: set[int] = set()
    for report, bad in zip(reports, violators, strict=True):
        report.violating = len(bad)
        if candidates and bad >= set(candidates):
            report.applied, report.contradicts_all = False, True
            continue
        report.dropped = len(bad - dropped)
        dropped |= bad
    if candidates and dropped >= set(candidates):
        # Together (not one by one) they leave nothing: keep the candidates, say so.
        for report in reports:
            report.applied = False
            report.dropped = 0
        dropped = set()
    return dropped, reports
