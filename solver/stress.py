"""Stress runs: the leading clusters' members on large and worst-case inputs, for their time.

The members of one cluster gave the same answers on every generated input, yet on the hidden
tests one of them may run out of time: the jury's tests are larger and nastier than the
fuzzer's. Measured on Kattis packages: a program that spreads colours edge by edge in rounds
is fast on random graphs and needs seconds on a long path (killjoys), and a backtracking
program is fast on most of its three numbers and stalls on about one draw in a hundred
(lotsofland). So the members of the clusters that decide the first picks run on:

- long paths: where an example's rows are edges (two columns bounded by one number of the
  first lines, the node count, and the rows counted by a number or one fewer than the nodes),
  a path over `STRESS_ITEMS` + 1 nodes, its edges in random order and direction;
- instances grown to `STRESS_ITEMS` items (or `STRESS_ITEMS_SMALLER` where the validator
  rejects that), past the fuzzer's cap;
- for an input of a few numbers with no size among them, `STRESS_DRAWS` draws from the upper
  half of each number's range in the examples.

A member is slow when, on some stress input, it runs out of time where a member of its
cluster answers, or takes `SLOWER` times the fastest member's time and at least a quarter of
the time limit (a Python program beside a C++ one is several times slower, and that alone
does not fail a generous limit). A large input that breaks a promise of the statement can
stall a correct program, so each stress input is screened: by the package's input validator,
or where there is none, by the lower bounds of the statement's Input section
(solver.stated) and the relations every example keeps (solver.testgen.Invariants: node labels
within the node count, sorted columns). Without either, no stress input is made (measured:
pingpong has no validator, and its dictionary-backed Python program, correct on every
generated input, takes 1.1 s on an instance grown to 100,000 numbers where its list-backed
twin takes 0.3 s, against a 1 s limit).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder, Program
from sandbox.checkers import CheckerFlags
from sandbox.limits import Limits
from sandbox.problem import Problem
from solver.cluster import TIMEOUT, Clustering, Observation, run_on_inputs
from solver.executor import LOCAL, Executor
from solver.select import SLOW_FLOOR_S, SLOWER
from solver.stated import stated_floor
from solver.store import Store
from solver.testgen import (
    BOUND_ROWS,
    MAX_INPUT_BYTES,
    Invariants,
    Parsed,
    Progress,
    Ranges,
    Screen,
    Token,
    block_after,
    grow,
    parse_input,
    redraw,
    sized_blocks,
)

STRESS_ITEMS = 100_000  # the size of a stress instance: most limits allow it, few tests exceed it
STRESS_ITEMS_SMALLER = 20_000  # where the validator rejects STRESS_ITEMS
STRESS_DRAWS = 200  # draws of a few numbers: one in a hundred stalled a backtracking program
MAX_DRAW_TOKENS = 8  # an input of at most this many numbers, with no size, is drawn
MAX_STRESSED = 12  # members run on the stress inputs, from the leading cluster down
STRESS_SHARE = 0.25  # of the time limit: a faster run is not slow, whatever its ratio


@dataclass
class StressInputs:
    inputs: list[Path]
    sources: dict[str, int] = field(default_factory=dict)  # how many of each kind
    note: str = ""  # why there are none, where there are none
    screened_by: str = ""  # what kept them within the statement's promises

    def describe(self) -> str:
        if not self.inputs:
            return self.note
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.sources.items()))
        return f"{kinds}; screened by {self.screened_by}" if self.screened_by else kinds


def generate_stress_inputs(
    backend: LocalBackend, builder: Builder, problem: Problem, folder: Path, *, seed: int = 0
) -> StressInputs:
    """Stress inputs written into `folder`, each accepted by the package's input validator,
    or without one, keeping the statement's floor and the examples' relations; none where
    neither is known."""
    texts = [case.input.read_text(errors="replace") for case in problem.samples]
    examples = [parse_input(t) for t in texts]
    if not examples:
        return StressInputs([], note="none: no example inputs to shape them on")
    folder.mkdir(parents=True, exist_ok=True)
    result = StressInputs([])
    seen = {t.encode() for t in texts}
    with Screen(backend, builder, problem) as screen:
        floor = None if screen.active else stated_floor(problem.statement, texts)
        if not screen.active and floor is None:
            result.note = (
                "none: they need the package's input validator or the lower bounds of its "
                "statement's Input section (a large input that breaks a promise can stall a "
                "correct program)"
            )
            return result
        invariants = Invariants.of(examples, floor)
        result.screened_by = (
            "the input validator"
            if screen.active
            else f"the statement (no integer below {floor}) and the examples' relations"
        )

        def keep(made: Parsed | None, kind: str) -> bool:
            if made is None:
                return False
            if not screen.active:
                made = invariants.conform(made)
                if not invariants.hold(made):
                    return False
            data = made.render().encode()
            if data in seen or len(data) > MAX_INPUT_BYTES:
                return False
            seen.add(data)
            path = folder / f"stress-{len(seen):04d}.in"
            path.write_bytes(data)
            if screen.active and not screen.accepts(path):
                path.unlink()
                return False
            result.inputs.append(path)
            result.sources[kind] = result.sources.get(kind, 0) + 1
            return True

        rng = random.Random(f"stress:{seed}")
        ranges = Ranges.of(examples)
        bounds = invariants.bounds  # solver.testgen.column_bounds of the examples
        # The largest examples first: their shape is the most complete.
        by_size = sorted(examples, key=lambda p: -len(p.render()))[:2]
        makers: list[tuple[str, Callable[[Parsed, int], Parsed | None]]] = [
            ("long paths", lambda example, size: path_graph(example, ranges, bounds, rng, size)),
            ("grown", lambda example, size: grow(example, ranges, rng, size)),
        ]
        for kind, make in makers:
            for example in by_size:
                for size in (STRESS_ITEMS, STRESS_ITEMS_SMALLER):
                    try:
                        if keep(make(example, size), kind):
                            break
                    except (ValueError, IndexError, OverflowError):
                        break  # a shape misread: nothing of this kind from this example
        few = [e for e in examples if _few_numbers(e)]
        if few and len(few) == len(examples):
            for _ in range(STRESS_DRAWS):
                keep(upper_draw(rng.choice(few), ranges, rng), "upper draws")
    if not result.inputs:
        result.note = "none: no example has a shape to stress"
    return result


def _few_numbers(parsed: Parsed) -> bool:
    tokens = [t for line in parsed.lines for t in line]
    return (
        0 < len(tokens) <= MAX_DRAW_TOKENS
        and all(t.kind == "int" for t in tokens)
        and not sized_blocks(parsed)
    )


def upper_draw(parsed: Parsed, ranges: Ranges, rng: random.Random) -> Parsed:
    """Each number drawn from the upper half of its range in the examples (from 1 to twice it
    where the examples show one value): the large instances are where the time goes."""
    result = parsed.copy()
    for line in result.lines:
        for position, token in enumerate(line):
            low, high = ranges.ints.get((len(line), position), (token.value, token.value))
            if low == high:
                low, high = (1, max(2, 2 * high)) if high > 0 else (2 * low, high)
            token.text = str(rng.randint((low + high + 1) // 2, high))
    return result


def path_graph(
    parsed: Parsed,
    ranges: Ranges,
    bounds: Mapping[tuple[int, int], set[tuple[int, int, str]]],
    rng: random.Random,
    size: int,
) -> Parsed | None:
    """The example's edge list made a path of `size` edges, in random order and direction,
    over nodes labelled at random; its node count and edge count updated. None where no block
    of rows reads as edges."""
    result = parsed.copy()
    blocks = edge_blocks(result, bounds)
    if not blocks:
        return None
    edges_at = blocks[0]
    lines = result.lines
    block = lines[edges_at.first : edges_at.first + edges_at.rows]
    a_column, b_column = edges_at.columns
    low = min(ranges.ints.get((len(block[0]), c), (1, 1))[0] for c in edges_at.columns)
    labels = list(range(low, low + size + 1))  # 0- or 1-based, as the examples are
    rng.shuffle(labels)
    edges = [(labels[i], labels[i + 1]) for i in range(size)]
    rng.shuffle(edges)
    rows = []
    for a, b in edges:
        row = [Token(t.text, t.kind, t.structural) for t in rng.choice(block)]
        for position, token in enumerate(row):
            if position not in edges_at.columns:
                redraw(token, (len(row), position), ranges, rng)
        if rng.random() < 0.5:
            a, b = b, a
        row[a_column].text, row[b_column].text = str(a), str(b)
        rows.append(row)
    lines[edges_at.first : edges_at.first + edges_at.rows] = rows
    edges_at.nodes.text = str(size + 1)
    if edges_at.count is not None:
        edges_at.count.text = str(size)
    return result


@dataclass
class EdgeBlock:
    first: int  # its first line
    rows: int
    nodes: Token  # the node count
    count: Token | None  # the edge count; None for a tree's n - 1 edges
    columns: tuple[int, int]  # the two ends


def edge_blocks(
    parsed: Parsed, bounds: Mapping[tuple[int, int], set[tuple[int, int, str]]]
) -> list[EdgeBlock]:
    """The blocks of rows after one of the first lines where two integer columns hold node
    labels: one number of the lines above bounds one of them in every example (it reaches it
    and never exceeds it: `column_bounds`), and the other stays within it. That number counts
    the nodes; the rows are counted by another number, or are one fewer than the nodes."""
    found = []
    lines = parsed.lines
    counted = {
        row + 1: token for row, token, relation in sized_blocks(parsed) if relation == "rows"
    }
    for row in range(min(BOUND_ROWS, len(lines) - 1)):
        first, rows = row + 1, block_after(parsed, row)
        if rows < 1 or (row > 0 and [t.kind for t in lines[row]] == [t.kind for t in lines[first]]):
            continue  # a row of the block itself, not a line above it ("n m" may look like one)
        block = lines[first : first + rows]
        shape = block[0]
        ints = [p for p, t in enumerate(shape) if t.kind == "int"]
        ends: dict[tuple[int, int, str], list[int]] = {}
        for position in ints:
            for place in bounds.get((len(shape), position), ()):
                if place[0] <= row and place[2] == "value":
                    ends.setdefault(place, []).append(position)
        for place, columns in ends.items():
            # One end may never reach the node count in the examples (a tree's parents):
            # any other column of node labels below it is the other end.
            limit = lines[place[0]][place[1]].value
            columns += [
                p
                for p in ints
                if p not in columns
                and len(columns) < 2
                and all(0 <= line[p].value <= limit for line in block)
            ][:1]
        pairs = [(place, sorted(cols)) for place, cols in sorted(ends.items()) if len(cols) >= 2]
        if not pairs:
            continue
        (node_row, node_position, _), columns = pairs[0]
        nodes = lines[node_row][node_position]
        count = counted.get(first)
        ends_at = (columns[0], columns[1])
        if count is not None and count is not nodes:
            found.append(EdgeBlock(first, count.value, nodes, count, ends_at))
        elif count is None and nodes.value - 1 == rows:
            found.append(EdgeBlock(first, rows, nodes, None, ends_at))
    return found


# --- The runs ---------------------------------------------------------------------------------


@dataclass
class StressReport:
    inputs: StressInputs
    stressed: list[int]  # the members that ran on them
    slow: set[int]

    def summary(self) -> str:
        if not self.stressed:
            return "no cluster of two members or more to compare"
        if not self.inputs.inputs:
            return f"stress inputs: {self.inputs.note}"
        return (
            f"{len(self.stressed)} members of the leading clusters x "
            f"{len(self.inputs.inputs)} stress inputs ({self.inputs.describe()}): "
            f"{len(self.slow)} slow"
        )


def leading_groups(clustering: Clustering, scores: Mapping[int, float]) -> list[list[int]]:
    """The clusters of two members or more, in the order selection ranks them (best score
    first), each its best-scored members first, up to MAX_STRESSED members in all."""

    def best(members: list[int]) -> float:
        return max(scores.get(m, 0.0) for m in members)

    ordered = sorted(clustering.clusters, key=lambda c: (-best(c.members), -c.size, c.id))
    groups, left = [], MAX_STRESSED
    for cluster in ordered:
        if cluster.size < 2 or left < 2:
            continue
        members = sorted(cluster.members, key=lambda m: (-scores.get(m, 0.0), m))[:left]
        groups.append(members)
        left -= len(members)
    return groups


def slow_under_stress(
    observations: Mapping[tuple[int, int], Observation],
    groups: list[list[int]],
    inputs: int,
    limits: Limits,
) -> set[int]:
    """Per group, the members that on some input ran out of time where another answered, or
    took SLOWER times the fastest answer's time and at least STRESS_SHARE of the limit. Their
    answers are not compared: a custom checker accepts different ones. Where every member of
    a group is slow by its times alone, each on another input, the one least slow is kept:
    its cluster's answers are not to be put behind the other clusters' for that."""
    floor = max(SLOW_FLOOR_S, STRESS_SHARE * limits.time_s)
    slow: set[int] = set()
    for group in groups:
        worst = dict.fromkeys(group, 0.0)  # the largest ratio to the fastest, over the inputs
        for number in range(inputs):
            runs = {m: observations[(m, number)] for m in group}
            answered = [run.time_s for run in runs.values() if run.mark == 0]
            if not answered:
                continue  # nobody answered: nothing to compare with
            fastest = max(min(answered), 1e-3)
            for m, run in runs.items():
                if run.mark == TIMEOUT:
                    worst[m] = math.inf
                elif run.mark == 0 and run.time_s >= floor:
                    worst[m] = max(worst[m], run.time_s / fastest)
        found = {m for m, ratio in worst.items() if ratio >= SLOWER}
        if found == set(group):
            least = min(group, key=lambda m: (worst[m], m))
            if worst[least] < math.inf:
                found.discard(least)
        slow |= found
    return slow


def stress_leading_clusters(
    backend: LocalBackend,
    builder: Builder,
    problem: Problem,
    clustering: Clustering,
    scores: Mapping[int, float],
    programs: Mapping[int, Program],
    limits: Limits,
    folder: Path,
    *,
    seed: int = 0,
    workers: int | None = None,
    progress: Progress | None = None,
    cache: Store | None = None,
    executor: Executor = LOCAL,
) -> StressReport:
    """The leading clusters' members (`leading_groups`) run on the stress inputs, made in
    `folder`, and those slow there. Runs go through `executor` and `cache`, as clustering's."""
    groups = leading_groups(clustering, scores)
    stressed = [m for group in groups for m in group]
    if not groups:
        return StressReport(StressInputs([]), [], set())
    made = generate_stress_inputs(backend, builder, problem, folder, seed=seed)
    if not made.inputs:
        return StressReport(made, stressed, set())
    observations, _ = run_on_inputs(
        backend,
        {m: programs[m] for m in stressed},
        made.inputs,
        limits,
        CheckerFlags(),  # the answers are not compared
        workers=workers,
        progress=progress,
        cache=cache,
        executor=executor,
    )
    return StressReport(
        made, stressed, slow_under_stress(observations, groups, len(made.inputs), limits)
    )
