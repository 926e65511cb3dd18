"""Stress runs (solver.stress): long paths, grown instances and upper draws made from the
examples, and the leading clusters' members that are slow on them."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.judge import Judge
from sandbox.limits import Limits
from sandbox.problem import load_problem
from solver.cluster import TIMEOUT, Observation
from solver.pipeline import PipelineConfig, run_pipeline
from solver.pool import Candidate
from solver.stress import (
    STRESS_ITEMS,
    generate_stress_inputs,
    path_graph,
    slow_under_stress,
    upper_draw,
)
from solver.testgen import Ranges, column_bounds, parse_input
from tests.conftest import make_package, write

GRAPHS = ["4 2 11\n1 2\n3 4\n", "5 3 7\n1 2\n3 4\n5 1\n", "100 0 13\n"]
TREES = ["5\n1 2\n2 3\n3 4\n4 5\n", "3\n1 3\n2 3\n"]


def _is_path(edges: list[tuple[int, int]], nodes: int) -> bool:
    """Connected, with two ends of degree one and every other node of degree two."""
    degree = Counter(n for edge in edges for n in edge)
    if len(edges) != nodes - 1 or sorted(Counter(degree.values()).items()) != [
        (1, 2),
        (2, nodes - 2),
    ]:
        return False
    parent = {n: n for n in degree}

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        parent[root(a)] = root(b)
    return len({root(n) for n in degree}) == 1


def test_an_edge_list_becomes_a_long_path_with_its_counts_updated() -> None:
    examples = [parse_input(t) for t in GRAPHS]
    made = path_graph(
        examples[1], Ranges.of(examples), column_bounds(examples), random.Random(1), 50
    )
    assert made is not None
    header, *rows = [[int(t) for t in line.split()] for line in made.render().splitlines()]
    assert header[:2] == [51, 50] and header[2] in (7, 11)  # nodes, edges; p as an example's
    edges = [(a, b) for a, b in rows]
    assert _is_path(edges, 51) and {n for e in edges for n in e} == set(range(1, 52))
    assert edges != sorted(edges)  # in random order
    # A tree's n - 1 edges follow its node count alone.
    trees = [parse_input(t) for t in TREES]
    tree = path_graph(trees[0], Ranges.of(trees), column_bounds(trees), random.Random(2), 30)
    assert tree is not None
    first, *rest = tree.render().splitlines()
    assert first == "31" and _is_path([tuple(map(int, r.split())) for r in rest], 31)
    # Rows that are no edges (no count of nodes above them bounds them) give none.
    plain = [parse_input(t) for t in ["2\n7 9\n1 4\n", "3\n5 5\n2 8\n6 1\n"]]
    assert path_graph(plain[0], Ranges.of(plain), column_bounds(plain), random.Random(3), 9) is None


def test_an_upper_draw_keeps_each_number_in_the_upper_half_of_its_range() -> None:
    examples = [parse_input(t) for t in ["4 4 4\n", "6 15 9\n", "100 100 26\n"]]
    ranges, rng = Ranges.of(examples), random.Random(4)
    draws = [
        [int(t) for t in upper_draw(examples[0], ranges, rng).render().split()] for _ in range(300)
    ]
    assert all(52 <= h <= 100 and 52 <= w <= 100 and 15 <= n <= 26 for h, w, n in draws)
    assert len({tuple(d) for d in draws}) > 200  # spread, not one corner


def test_slow_is_a_timeout_or_a_multiple_of_the_fastest_over_a_share_of_the_limit() -> None:
    limits = Limits(time_s=2.0)  # a run under 0.5 s is never slow here

    def run(seconds: float) -> Observation:
        return Observation(TIMEOUT if seconds < 0 else 0, b"", abs(seconds))

    times = {
        # input 0: member 2 needs 3.5 times member 0's time, over half a second
        (0, 0): run(0.2), (1, 0): run(0.3), (2, 0): run(0.7),
        # input 1: member 1 times out where the others answer
        (0, 1): run(0.01), (1, 1): run(-2.0), (2, 1): run(0.02),
        # input 2: member 0 is 40 times slower than member 2, but under a quarter of the limit
        (0, 2): run(0.4), (1, 2): run(0.01), (2, 2): run(0.01),
        # input 3: nobody answers, nothing to compare with
        (0, 3): run(-2.0), (1, 3): run(-2.0), (2, 3): run(-2.0),
    }  # fmt: skip
    assert slow_under_stress(times, [[0, 1, 2]], 4, limits) == {1, 2}
    assert slow_under_stress(times, [[0, 1, 2]], 1, limits) == {2}
    # Members are compared within their cluster only.
    assert slow_under_stress(times, [[0, 1], [2]], 1, limits) == set()


VALIDATE = """
import sys
data = sys.stdin.read()
lines = data.split("\\n")
n, m = map(int, lines[0].split())
assert 1 <= n <= 200000 and 0 <= m <= 200000 and data.endswith("\\n")
assert len(lines) == m + 2 and lines[-1] == ""
for line in lines[1 : m + 1]:
    a, b = map(int, line.split())
    assert 1 <= a <= n and 1 <= b <= n and a != b
sys.exit(42)
"""

# Two-colouring by a stack: linear time.
FAST = """
import sys
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
for i in range(m):
    a, b = int(data[2 + 2 * i]), int(data[3 + 2 * i])
    adj[a].append(b)
    adj[b].append(a)
colour = [-1] * (n + 1)
for s in range(1, n + 1):
    if colour[s] >= 0:
        continue
    colour[s] = 0
    stack = [s]
    while stack:
        u = stack.pop()
        for v in adj[u]:
            if colour[v] < 0:
                colour[v] = colour[u] ^ 1
                stack.append(v)
            elif colour[v] == colour[u]:
                print("no")
                sys.exit()
print("yes")
"""

# Colours spread edge by edge, in rounds over the edges: a round per step along a path.
SLOW = """
import sys
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
edges = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(m)]
colour = [-1] * (n + 1)
for s in range(1, n + 1):
    if colour[s] >= 0:
        continue
    colour[s] = 0
    changed = True
    while changed:
        changed = False
        left = []
        for a, b in edges:
            if colour[a] >= 0 and colour[b] >= 0:
                if colour[a] == colour[b]:
                    print("no")
                    sys.exit()
            elif colour[a] >= 0:
                colour[b] = colour[a] ^ 1
                changed = True
            elif colour[b] >= 0:
                colour[a] = colour[b] ^ 1
                changed = True
            else:
                left.append((a, b))
        edges = left
print("yes")
"""


def _bipartite_package(root: Path, *, validator: bool) -> Path:
    package = make_package(
        root,
        tests={
            "sample/1": ("4 2\n1 2\n3 4\n", "yes\n"),
            "sample/2": ("3 3\n1 2\n2 3\n3 1\n", "no\n"),
            "sample/3": ("5 3\n1 2\n2 3\n4 5\n", "yes\n"),
        },
        timelimit="2",
    )
    if validator:
        write(package / "input_validators" / "validate.py", VALIDATE)
    return package


def test_the_member_slow_on_a_long_path_is_picked_after_its_fast_twin(
    judge: Judge, tmp_path: Path
) -> None:
    """Both programs answer alike on every input, and the rounds take one pass per node on
    a path: on the stress path of STRESS_ITEMS edges the slow one runs out of time."""
    candidates = [Candidate("python3", SLOW), Candidate("python3", FAST)]
    package = _bipartite_package(tmp_path / "screened", validator=True)
    result = run_pipeline(
        load_problem(package),
        candidates,
        judge,
        config=PipelineConfig(inputs=8),
        workdir=tmp_path / "work",
    )
    assert result.clustering is not None and len(result.clustering.clusters) == 1
    assert result.slow == {0}
    assert [pick.candidate for pick in result.submissions] == [1, 0]
    stress = sorted((tmp_path / "work" / "stress").glob("*.in"))
    first = stress[0].read_text().split("\n", 1)[0]
    assert first == f"{STRESS_ITEMS + 1} {STRESS_ITEMS}"  # a long path, kept by the validator


def test_without_a_validator_or_stated_bounds_no_stress_input_is_made(
    backend: LocalBackend, builder: Builder, tmp_path: Path
) -> None:
    bare = load_problem(_bipartite_package(tmp_path / "bare", validator=False))
    made = generate_stress_inputs(backend, builder, bare, tmp_path / "stress")
    assert made.inputs == [] and "input validator" in made.note


def test_without_a_validator_stress_inputs_keep_the_statements_floor_and_the_examples_relations(
    backend: LocalBackend, builder: Builder, tmp_path: Path
) -> None:
    """The statement's Input section bounds every number from below; the examples show the
    edges' ends within the node count. A long path keeps both, as do the grown instances."""
    package = _bipartite_package(tmp_path / "stated", validator=False)
    write(
        package / "problem_statement" / "problem.en.md",
        "# Input\n\nA line with $1 \\le n \\le 10^5$ and $1 \\le m \\le 10^5$, then m "
        "lines of two nodes $1 \\le a, b \\le n$.\n\n# Output\n\nyes or no\n",
    )
    made = generate_stress_inputs(backend, builder, load_problem(package), tmp_path / "stress")
    assert made.sources.get("long paths") == 1 and made.sources.get("grown", 0) >= 1
    assert made.describe().endswith(
        "screened by the statement (no integer below 1) and the examples' relations"
    )
    for path in made.inputs:
        numbers = [int(word) for word in path.read_text().split()]
        nodes = numbers[0]
        assert min(numbers) >= 1 and max(numbers[2:]) <= nodes


def test_a_group_slow_by_its_times_alone_keeps_its_least_slow_member() -> None:
    limits = Limits(time_s=1.0)
    times = {
        (0, 0): Observation(0, b"", 1.0), (1, 0): Observation(0, b"", 0.3),
        (0, 1): Observation(0, b"", 0.1), (1, 1): Observation(0, b"", 0.5),
    }  # fmt: skip
    assert slow_under_stress(times, [[0, 1]], 2, limits) == {1}  # 3.3 times against 5 times
    # Both out of time, each where the other answered: both are slow.
    times[(0, 0)] = times[(1, 1)] = Observation(TIMEOUT, b"", 1.0)
    assert slow_under_stress(times, [[0, 1]], 2, limits) == {0, 1}
