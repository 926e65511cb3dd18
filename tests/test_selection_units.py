"""The selection stages' pure parts: the fuzzer's structure, canonical outputs, selection order,
the scorer's file format and training, property parsing."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from sandbox.checkers import CheckerFlags
from sandbox.limits import Limits
from solver.checking import last_place_gap, rounding_tie
from solver.cluster import (
    TIMEOUT,
    Behaviour,
    Cluster,
    Clustering,
    Observation,
    canonical,
    group,
    settle_slow_programs,
)
from solver.families import find_families, tokens
from solver.hints import PropertyError, checker_source, parse_properties
from solver.scorer import (
    FEATURES,
    CandidateFacts,
    Scorer,
    candidate_features,
    coarse,
    family_weights,
    train,
)
from solver.select import select, slow_members
from solver.testgen import (
    Invariants,
    Ranges,
    _free_words,
    extreme_values,
    grow,
    parse_input,
    perturb_values,
    reshape_words,
    shrink,
    small_edit,
    small_values,
    tiny_instances,
)
from solver.training import TrainingError, train_from_records

EDGES = "5 5\n1 2\n2 3\n3 1\n3 4\n4 5\n4\n2 4 1 5\n"
INTERVALS = "4\n1 10\n2 3\n5 6\n11 12\n"


def test_sizes_are_recognised_and_kept_when_values_are_redrawn() -> None:
    parsed = parse_input(INTERVALS)
    sizes = [(row, t.text) for row, line in enumerate(parsed.lines) for t in line if t.structural]
    assert sizes == [(0, "4")]  # the rows' own values are data, not sizes
    ranges = Ranges.of([parsed])
    rng = random.Random(0)
    for _ in range(20):
        redrawn = perturb_values(parsed, ranges, rng)
        assert redrawn.lines[0][0].text == "4"
        assert [len(line) for line in redrawn.lines] == [1, 2, 2, 2, 2]
        values = [int(t.text) for line in redrawn.lines[1:] for t in line]
        assert all(1 <= v <= 12 for v in values)  # within the examples' observed bounds


def test_small_edits_change_one_token_and_grown_instances_keep_the_shape() -> None:
    parsed = parse_input(EDGES)
    ranges = Ranges.of([parsed])
    rng = random.Random(1)
    edited = small_edit(parsed, ranges, rng).render()
    assert edited != EDGES and len(edited.split()) == len(EDGES.split())
    grown = grow(parse_input(INTERVALS), Ranges.of([parse_input(INTERVALS)]), rng, 50)
    assert grown is not None
    lines = grown.render().splitlines()
    assert lines[0] == "50" and len(lines) == 51
    assert all(len(line.split()) == 2 for line in lines[1:])
    word = grow(parse_input("abc\ncabxbcabcx\n"), Ranges(), rng, 100)
    assert word is not None and len(word.render().splitlines()[1]) == 100


def test_digit_strings_with_leading_zeros_are_words_and_keep_their_length() -> None:
    grid = parse_input("3 3\n000\n010\n000\n")
    assert [t.kind for line in grid.lines[1:] for t in line] == ["word"] * 3
    assert [t.kind for t in parse_input("0 -0 10 -7\n").lines[0]] == ["int"] * 4
    ranges = Ranges.of([grid])
    rng = random.Random(4)
    for _ in range(20):
        for made in (small_edit(grid, ranges, rng), perturb_values(grid, ranges, rng)):
            assert [len(t.text) for line in made.lines[1:] for t in line] == [3, 3, 3]


def test_a_block_two_sizes_could_count_is_neither_grown_nor_shrunk() -> None:
    # "6 6" before six edges: n or m? Growing the block with the wrong one breaks the input.
    rng = random.Random(2)
    edges = "6 6\n1 2\n2 3\n3 4\n4 5\n5 6\n6 1\n"
    assert grow(parse_input(edges), Ranges(), rng, 30) is None
    assert shrink(parse_input(edges), rng, 1) is None
    grid = "3 3\n000\n111\n222\n"  # rows or columns: no word grows in their place either
    assert grow(parse_input(grid), Ranges(), rng, 30) is None
    plain = "6 7\n1 2\n2 3\n3 4\n4 5\n5 6\n6 1\n1 3\n"  # only m counts the rows
    grown = grow(parse_input(plain), Ranges(), rng, 30)
    assert grown is not None and grown.render().splitlines()[0] == "6 30"
    assert len(grown.render().splitlines()) == 31


def test_shrunk_instances_keep_the_shape_and_edge_values_reach_past_the_examples() -> None:
    example = parse_input("4 7\n10 20 30 40\n")
    rng = random.Random(3)
    small = shrink(example, rng, 1)
    assert small is not None and small.render() == "1 7\n10\n"
    assert shrink(example, rng, 4) is None  # nothing larger than the target to cut
    ranges = Ranges.of([example])
    seen = set()
    for _ in range(200):
        edged = extreme_values(example, ranges, rng)
        assert edged.lines[0][0].text == "4" and len(edged.lines[1]) == 4  # the size stays
        seen.update(t.value for line in edged.lines for t in line)
    assert {10, 40, 100, 1000} <= seen  # the column's bounds and the powers of ten above


def test_relations_every_example_keeps_are_kept_where_no_validator_screens() -> None:
    # Intervals: start before end on every line, starts rising down the block, all >= 0.
    examples = [parse_input("3\n0 4\n5 9\n12 20\n"), parse_input("2\n3 5\n6 7\n")]
    invariants = Invariants.of(examples)
    assert invariants.order == {(2, 0, 1): "<"}
    assert invariants.sorted_columns == {(2, 0): "<", (2, 1): "<"}
    assert (2, 0) in invariants.non_negative and (2, 1) in invariants.non_negative
    assert not invariants.hold(parse_input("2\n5 3\n6 8\n"))  # an end before its start
    assert not invariants.hold(parse_input("2\n4 6\n1 3\n"))  # the block out of order
    assert not invariants.hold(parse_input("2\n-1 3\n4 6\n"))  # a negative never seen
    assert invariants.hold(parse_input("2\n1 3\n4 6\n"))
    # Redrawn values are repaired: pairs swapped back, the column sorted down its block.
    repaired = invariants.conform(parse_input("3\n9 4\n1 6\n5 3\n"))
    assert repaired.render() == "3\n1 5\n3 6\n4 9\n" and invariants.hold(repaired)
    # One line proves nothing: a single example line yields no order and no sorted column.
    single = Invariants.of([parse_input("1 3 2 1 5 10\n0 10\n")])
    assert single.order == {} and single.sorted_columns == {}
    assert single.hold(parse_input("1 3 2 1 5 10\n10 0\n"))
    # Every generated input of a package without a validator keeps them.
    ranges = Ranges.of(examples)
    rng = random.Random(5)
    for _ in range(50):
        made = grow(examples[0], ranges, rng, 30) or examples[0]
        made = invariants.conform(perturb_values(made, ranges, rng))
        assert invariants.hold(made) or any(
            a[0].text == b[0].text or a[1].text == b[1].text or a[0].text == a[1].text
            for a, b in zip(made.lines[1:], made.lines[2:], strict=False)
        )  # only ties a strict relation forbids remain after the repair


def test_values_a_size_or_a_strings_length_bounds_stay_within_it() -> None:
    # Queries l r on a string: r reaches |s| = 11 and never passes it. Edges a b on n nodes:
    # b reaches n = 5. Redrawn values past such a bound are brought back to it.
    queries = Invariants.of([parse_input("zyxxxxxxyyz\n3\n1 3\n1 11\n3 6\n")])
    assert queries.bounds[(2, 1)] == {(0, 0, "length")}
    broken = parse_input("abcd\n3\n1 3\n1 100\n3 6\n")
    assert not queries.hold(broken)
    assert queries.conform(broken).render() == "abcd\n3\n1 3\n1 4\n3 4\n"
    edges = Invariants.of([parse_input("5 6\n1 2\n2 3\n3 4\n4 5\n5 1\n1 3\n")])
    assert edges.bounds[(2, 1)] == {(0, 0, "value")}  # n, reached; m = 6 is not
    assert edges.hold(parse_input("3 2\n1 3\n2 3\n"))
    assert not edges.hold(parse_input("3 2\n1 3\n2 4\n"))
    # Small values below a large one prove nothing: the bound must be reached.
    loose = Invariants.of([parse_input("100\n3\n1 2\n2 3\n4 7\n")])
    assert (2, 1) not in loose.bounds


def test_a_string_beside_counted_queries_grows_and_the_query_ends_reach_its_new_part() -> None:
    """The string's length is counted by no token (5 counts the queries): growing it is one
    of the options, and the query ends, which reach |s| = 11 in the example, are redrawn over
    the new length; the query starts (at most 5) and the count stay as they were."""
    example = parse_input("zyxxxxxxyyz\n5\n5 5\n1 3\n1 11\n1 4\n3 6\n")
    ranges = Ranges.of([example])
    grown = [
        made
        for seed in range(40)
        for made in [grow(example, ranges, random.Random(seed), 500)]
        if made is not None and len(made.lines[0][0].text) == 500
    ]
    assert grown, "the string never grew"
    for made in grown:
        assert made.lines[0][0].text.startswith("zyxxxxxxyyz")
        assert set(made.lines[0][0].text) <= set("xyz") and made.lines[1][0].text == "5"
        starts = [int(line[0].text) for line in made.lines[2:]]
        ends = [int(line[1].text) for line in made.lines[2:]]
        assert all(1 <= s <= 5 for s in starts) and all(1 <= e <= 500 for e in ends)
    assert any(e > 11 for made in grown for e in (int(line[1].text) for line in made.lines[2:]))
    # Where the queries' count grows instead, the string stays as it was.
    more_queries = [
        made
        for seed in range(40)
        for made in [grow(example, ranges, random.Random(seed), 500)]
        if made is not None and made.lines[1][0].text == "500"
    ]
    assert more_queries and all(m.lines[0][0].text == "zyxxxxxxyyz" for m in more_queries)
    # Rows of a grid, and names listed after their number, are in counted blocks: not free.
    assert [word.text for _, word in _free_words(example)] == ["zyxxxxxxyyz"]
    assert _free_words(parse_input("2 10\nW..WWP.P.P\nW..PP.WWP.\n")) == []
    assert _free_words(parse_input("3\nabc\nca\ncba\n")) == []


def test_a_mazes_start_and_exit_stay_unique_in_its_grid() -> None:
    examples = [parse_input("3 4\n#S..\n#.#.\n..E#\n"), parse_input("2 3\nS.#\n#.E\n")]
    invariants = Invariants.of(examples)
    assert invariants.markers == {"S", "E"} and invariants.filler in "#."
    assert not invariants.hold(parse_input("2 3\nS.S\n#.E\n"))  # two starts
    assert not invariants.hold(parse_input("2 3\n..#\n#.E\n"))  # no start
    repaired = invariants.conform(parse_input("2 3\nSSE\n#.E\n"))
    assert invariants.hold(repaired) and repaired.render().count("S") == 1
    # Words that are not a grid of a few symbols (names, sentences) have no markers.
    names = [parse_input("2\nalice\nbobby\n"), parse_input("2\ncarol\ndaves\n")]
    assert Invariants.of(names).markers == set()
    assert Invariants.of(examples[:1]).markers == set()  # one example says too little


def test_small_values_and_reshaped_words_keep_sizes_and_reach_the_special_cases() -> None:
    example = parse_input("3 58\n45 6 22\n")
    ranges = Ranges.of([example])
    rng = random.Random(5)
    seen = set()
    for _ in range(50):
        tiny = small_values(example, ranges, rng)
        assert tiny.lines[0][0].text == "3" and len(tiny.lines[1]) == 3  # the size stays
        values = [t.value for line in tiny.lines for t in line if not t.structural]
        assert all(0 <= v <= 2 for v in values)  # the examples' values are not negative
        seen.add(tuple(values))
    assert any(len(set(values)) < len(values) for values in seen)  # ties come up
    signed = parse_input("-5 7\n")
    for _ in range(20):
        first, second = small_values(signed, Ranges.of([signed]), rng).lines[0]
        assert -1 <= first.value <= 1 and 0 <= second.value <= 2  # per column
    words = parse_input("2\nbirch yellow\nmaple red\n5\nabcde\n")
    lengths = set()
    for _ in range(50):
        reshaped = reshape_words(words, rng)
        assert reshaped is not None
        lines = reshaped.render().splitlines()
        assert lines[4] == "abcde"  # a word whose length the line above gives stays
        assert set("".join(lines[1:3])) <= set("birchyellowmaplered ")
        lengths.update(len(word) for word in " ".join(lines[1:3]).split())
    assert 1 in lengths and max(lengths) > 6
    assert reshape_words(parse_input("1 2\n"), rng) is None


def test_tiny_instances_enumerate_the_small_scope_of_few_free_integers() -> None:
    example = parse_input("16 70\n")
    instances = {p.render() for p in tiny_instances(example, Ranges.of([example]))}
    assert len(instances) == 16 and "0 0\n" in instances and "3 1\n" in instances
    sized = parse_input("3\n-3 7 5\n")  # the size stays; the signed column goes -1..2
    rendered = {p.render() for p in tiny_instances(sized, Ranges.of([sized]))}
    assert len(rendered) == 64 and all(r.startswith("3\n") for r in rendered)
    assert "3\n-1 0 0\n" in rendered and "3\n2 3 3\n" in rendered
    four = parse_input("1 2 3 4\n")  # 3 ** 4 = 81 is too many to enumerate
    assert tiny_instances(four, Ranges.of([four])) == []


def test_canonical_output_follows_the_checkers_rules() -> None:
    default = CheckerFlags()
    assert canonical(b"YES \n 3\n", default) == canonical(b"yes 3", default)
    sensitive = CheckerFlags(case_sensitive=True)
    assert canonical(b"YES", sensitive) != canonical(b"yes", sensitive)
    spaces = CheckerFlags(space_change_sensitive=True)
    assert canonical(b"1  2", spaces) != canonical(b"1 2", spaces)


def _cluster(cid: int, members: list[int]) -> Cluster:
    return Cluster(cid, members, (cid,))


def test_selection_orders_by_score_or_size_and_wraps_round() -> None:
    big, small = _cluster(0, [1, 2, 3]), _cluster(1, [4])
    scores = {1: 0.2, 2: 0.3, 3: 0.1, 4: 0.9}
    picks = select([big, small], scores)
    assert [p.candidate for p in picks] == [4, 2, 1, 3]  # best of each, then wrap round
    assert [p.rank for p in picks] == [1, 2, 3, 4]
    by_size = select([big, small], scores, order="size")
    assert [p.candidate for p in by_size] == [2, 4, 1, 3]
    many = [_cluster(i, [i]) for i in range(15)]
    assert len(select(many, {})) == 10


def test_a_cluster_gives_one_member_per_family_before_a_sibling() -> None:
    big, small = _cluster(0, [1, 2, 3, 5]), _cluster(1, [4])
    scores = {1: 0.2, 2: 0.3, 3: 0.1, 4: 0.9, 5: 0.25}
    families = {1: 1, 2: 2, 3: 1, 5: 2}  # 5 is a sibling of 2, 3 of 1
    picks = select([big, small], scores, families=families)
    assert [p.candidate for p in picks] == [4, 2, 1, 5, 3]  # 1 (family 1) before 5 (of 2)
    assert [p.candidate for p in select([big, small], scores)] == [4, 2, 5, 1, 3]
    # Across clusters too: the sibling 2 (its own cluster, another behaviour) waits until every
    # family has been picked from.
    clusters = [_cluster(0, [1]), _cluster(1, [2]), _cluster(2, [3, 4])]
    scores = {1: 0.9, 2: 0.8, 3: 0.7, 4: 0.6}
    picks = select(clusters, scores, families={1: 1, 2: 1, 3: 3, 4: 4})
    assert [p.candidate for p in picks] == [1, 3, 4, 2]
    assert [p.candidate for p in select(clusters, scores)] == [1, 2, 3, 4]
    # Inside a cluster, two siblings share their score: the singleton 3 is submitted first.
    one = [_cluster(0, [1, 2, 3])]
    scores = {1: 0.9, 2: 0.8, 3: 0.6}
    assert [p.candidate for p in select(one, scores, families={1: 1, 2: 1, 3: 3})] == [3, 1, 2]
    assert [p.candidate for p in select(one, scores)] == [1, 2, 3]


def test_slow_programs_are_picked_after_the_rest() -> None:
    """Same answers, but 2 ran eight times longer than 1 on the largest input; 4 timed out on
    an input 1 answered in time (a validator screened it). Times under the floor never count."""
    behaviour = {
        0: Behaviour(signature=(1,), largest_input_time_s=0.01),
        1: Behaviour(signature=(0,), largest_input_time_s=0.1),
        2: Behaviour(signature=(0,), largest_input_time_s=0.8),
        3: Behaviour(signature=(0,), largest_input_time_s=0.12),
        4: Behaviour(signature=(-1,), timeouts=1, largest_input_time_s=1.0),
    }
    clustering = Clustering(
        clusters=group(behaviour), behaviour=behaviour, kept_inputs=[0], dropped_inputs=[]
    )
    slow = slow_members(clustering, screened=True)
    assert slow == {2, 4}
    # Without a validator, an input may break a promise that a correct program needs to stop.
    assert slow_members(clustering, screened=False) == {2}
    scores = {0: 0.3, 1: 0.5, 2: 0.9, 3: 0.4, 4: 0.95}
    picks = [p.candidate for p in select(clustering.clusters, scores, slow=slow)]
    # 4's cluster, all slow, follows the other clusters whatever its score; 2 follows 1 and 3.
    assert picks == [1, 0, 4, 3, 2]
    assert [p.candidate for p in select(clustering.clusters, scores)] == [4, 2, 0, 1, 3]
    # When every program timed out somewhere, a timeout says nothing.
    for b in behaviour.values():
        b.timeouts = 1
    assert slow_members(clustering, screened=True) == {2}


def test_families_join_programs_a_token_or_two_apart() -> None:
    base = 'int main() {\n  int n; scanf("%d", &n);\n  for (int i = 0; i < n; i++) go(i);\n}\n'
    flipped = base.replace("i < n", "i <= n")  # one token
    both = flipped.replace("i = 0", "i = 1")  # two tokens from base
    spaced = base.replace("for (", "for(\n")  # layout is not a token
    three = both.replace("go(i)", "stop(i)")  # three tokens from base, one from both
    other = '#include <stdio.h>\nint main() { puts("x"); }\n'
    found = find_families(
        {0: base, 1: flipped, 2: both, 3: spaced, 4: three, 5: other, 6: base.replace("<", ">")}
    )
    assert found[1] == found[2] == found[3] == found[4] == found[6] == 0  # chains join
    assert found[5] == 5
    assert tokens(base).count("<") == 1 and '"%d"' in tokens(base)
    assert find_families({0: "a b c d e f", 1: "a x y z e f"}) == {0: 0, 1: 1}


def test_equal_signatures_form_clusters_largest_first() -> None:
    behaviour = {
        0: Behaviour(signature=(1, 2)),
        1: Behaviour(signature=(0, 0)),
        2: Behaviour(signature=(0, 0)),
        3: Behaviour(signature=(-1, 0)),
    }
    clusters = group(behaviour)
    assert [c.members for c in clusters] == [[1, 2], [0], [3]]


def test_siblings_share_one_vote_in_the_cluster_sizes() -> None:
    """Three near-identical programs (one family) against two different ones: by members the
    siblings' cluster is the largest; by families the other one is."""
    behaviour = {c: Behaviour(signature=(0,) if c < 3 else (1,)) for c in range(5)}
    clusters = group(behaviour)
    clustering = Clustering(clusters, behaviour, [0], [], classes=[{c: c // 3 for c in range(5)}])
    facts = CandidateFacts("cpp", 100, sample_time_s=0.0)
    plain = candidate_features(3, clustering, facts, time_limit_s=1.0)
    weights = family_weights(behaviour, {0: 0, 1: 0, 2: 0, 3: 3, 4: 4})
    assert weights == {0: 1 / 3, 1: 1 / 3, 2: 1 / 3, 3: 1.0, 4: 1.0}
    weighted = candidate_features(3, clustering, facts, time_limit_s=1.0, weights=weights)
    assert plain["is_largest"] == 0.0 and plain["cluster_share"] == pytest.approx(2 / 5)
    assert weighted["is_largest"] == 1.0 and weighted["cluster_share"] == pytest.approx(2 / 3)
    assert weighted["input_agreement"] == pytest.approx(2 / 3) and weighted["plurality_rate"] == 1
    assert plain["plurality_rate"] == 0.0


def test_features_ignore_the_jitter_of_measured_time_and_memory() -> None:
    """A program measured twice gets the same features: a replay resumed from its store must
    rank a pool as an uninterrupted one does."""

    def features(time_s: float, memory_kib: int) -> dict[str, float]:
        behaviour = {0: Behaviour((1,), 0, 0, time_s, time_s, memory_kib, time_s)}
        clustering = Clustering([Cluster(0, [0], (1,))], behaviour, [0], [])
        facts = CandidateFacts("python3", 100, sample_time_s=time_s * 0.9)
        return candidate_features(0, clustering, facts, time_limit_s=1.0)

    assert features(0.021, 9_800) == features(0.047, 10_300)  # below the floors
    assert features(0.50, 200_000)["time_ratio"] == features(0.51, 201_000)["time_ratio"]
    assert features(0.9, 0)["time_ratio"] > features(0.45, 0)["time_ratio"]  # still ordered
    assert coarse(0.05, 0.1) == 0.1 and coarse(0.4, 0.1) == pytest.approx(0.4)


def test_a_program_that_times_out_often_times_out_everywhere() -> None:
    """Which runs of a slow program the stop skips depends on timing; the outcome must not."""
    limits = Limits(time_s=2.0, memory_mib=256, output_mib=8)
    marks = {0: [TIMEOUT, 0, TIMEOUT, TIMEOUT, 0], 1: [TIMEOUT, TIMEOUT, 0, 0, 0]}
    observations = {
        (p, n): Observation(mark, b"x" if mark == 0 else b"", 0.5, 1000)
        for p, row in marks.items()
        for n, mark in enumerate(row)
    }
    settle_slow_programs(observations, {0: None, 1: None}, 5, limits)  # type: ignore[dict-item]
    assert all(observations[(0, n)] == Observation(TIMEOUT, b"", 2.0, 0) for n in range(5))
    assert [observations[(1, n)].mark for n in range(5)] == marks[1]  # two: left as they are


def test_clusters_of_equal_size_get_equal_rank_features() -> None:
    behaviour = {i: Behaviour((i,)) for i in range(3)}
    behaviour[3] = Behaviour((0,))
    clusters = group(behaviour)  # [0, 3], then [1] and [2], equal in size
    clustering = Clustering(clusters, behaviour, [0], [])
    facts = CandidateFacts("cpp", 100, sample_time_s=0.01)
    ranks = {
        i: (f["cluster_rank_inv"], f["is_largest"])
        for i in range(4)
        for f in [candidate_features(i, clustering, facts, time_limit_s=1.0)]
    }
    assert ranks[0] == ranks[3] == (1.0, 1.0)
    assert ranks[1] == ranks[2] == (0.5, 0.0)
    # Nearly equal votes share a rank too: [0, 3] with 1.2 votes is not larger than [1] with
    # 1.0 (votes by family are coarse), and both are larger than [2] with 0.5.
    votes = {0: 0.6, 3: 0.6, 1: 1.0, 2: 0.5}
    weighted = {
        i: (f["cluster_rank_inv"], f["is_largest"])
        for i in range(4)
        for f in [candidate_features(i, clustering, facts, time_limit_s=1.0, weights=votes)]
    }
    assert weighted[0] == weighted[3] == weighted[1] == (1.0, 1.0)
    assert weighted[2] == (1 / 3, 0.0)


def test_scorer_round_trips_through_json_and_trains_reproducibly(tmp_path: Path) -> None:
    rng = random.Random(0)
    rows, labels = [], []
    for _ in range(200):
        good = rng.random() < 0.4
        rows.append({"cluster_share": rng.random() * 0.5 + (0.5 if good else 0.0)})
        labels.append(int(good))
    first = train(rows, labels)
    second = train(rows, labels)
    assert first.to_json() == second.to_json()
    assert first.score({"cluster_share": 0.9}) > first.score({"cluster_share": 0.1})
    first.save(tmp_path / "model.json")
    loaded = Scorer.load(tmp_path / "model.json")
    assert loaded.score(rows[0]) == pytest.approx(first.score(rows[0]), abs=1e-6)
    assert list(json.loads((tmp_path / "model.json").read_text())["features"]) == list(FEATURES)
    assert Scorer.load(tmp_path / "missing.json").info == {"trained": False}


def test_training_never_rewards_timeouts_or_crashes() -> None:
    # In this small pool the correct programs happen to time out more: the fit alone would
    # give timeouts a positive weight, which ranks a program that always times out first.
    rng = random.Random(1)
    rows, labels = [], []
    for _ in range(200):
        good = rng.random() < 0.5
        rows.append(
            {
                "cluster_share": rng.random() * 0.6 + (0.4 if good else 0.0),
                "timeout_rate": rng.random() * 0.2 + (0.2 if good else 0.0),
            }
        )
        labels.append(int(good))
    scorer = train(rows, labels)
    weights = dict(zip(scorer.features, scorer.coef, strict=True))
    assert weights["timeout_rate"] <= 0 and weights["cluster_share"] > 0
    assert "timeout_rate" in scorer.info["left_out_for_sign"]
    always_times_out = {"cluster_share": 0.5, "timeout_rate": 1.0}
    never = {"cluster_share": 0.5, "timeout_rate": 0.0}
    assert scorer.score(always_times_out) <= scorer.score(never)


def test_train_from_records_needs_both_labels(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    line = {"problem": "p", "candidate": 0, "features": {"cluster_share": 1.0}, "label": 1}
    records.write_text(json.dumps(line) + "\n")
    with pytest.raises(TrainingError, match="both correct and incorrect"):
        train_from_records([records], tmp_path / "out.json")
    other = dict(line, candidate=1, features={"cluster_share": 0.1}, label=0)
    records.write_text(json.dumps(line) + "\n" + json.dumps(other) + "\n")
    summary = train_from_records([records], tmp_path / "out.json")
    assert "trained on 2 candidates of 1 problems" in summary


def test_properties_are_parsed_never_run_here() -> None:
    assert parse_properties(("len(out) > 0",)) == ("len(out) > 0",)
    with pytest.raises(PropertyError, match="not a Python expression"):
        parse_properties(("len(out) >",))
    # The expression only ever appears as data inside the checker program's source.
    source = checker_source(("__import__('os').system('true')",))
    assert "PROPERTIES = [\"__import__('os').system('true')\"]" in source


def test_questions_skip_inputs_whose_words_break_the_examples_form() -> None:
    from solver.oracle import _malformed_words, _word_forms, _word_pattern

    assert [_word_pattern(w) for w in ("27.12.51", "Alice", "1,2,3", ",,2")] == [
        "99.99.99",
        "Aa",
        "9,9,9",
        ",,9",
    ]
    # A position whose example words differ in form promises nothing.
    assert _word_forms([b"27.12.51\n26.06.22\n", b"01.01.01\nbob\n"]) == {}
    dates = _word_forms([b"27.12.51\n26.06.22\n"])
    assert _malformed_words(b"01.02.03\n31.12.99\n", dates) == 0
    assert _malformed_words(b"5607622.\n26.06.22\n", dates) == 1
    assert _malformed_words(b"27.12.51552211\n26.06.22\n", dates) == 1  # a grown date


def test_questions_keep_the_examples_permutations() -> None:
    from solver.oracle import _breaks_permutations, _permutations

    assert _permutations([b"1\n1\n", b"2\n2 1\n", b"3\n3 1 2\n"])
    assert not _breaks_permutations(b"3\n2 3 1\n")
    assert _breaks_permutations(b"1\n2\n")  # a "permutation" of one that is 2
    assert _breaks_permutations(b"2\n2 2\n")
    assert not _permutations([b"2\n2 1\n"])  # two numbers: chance, not a promise
    assert not _permutations([b"5\n1 3 3 8 9\n"])


def test_the_last_place_gap_is_the_largest_difference_in_units_of_the_last_place() -> None:
    assert last_place_gap(b"3.50000 28.79412\n", b"3.50002 28.79408") == 4
    assert last_place_gap(b"1.2345", b"1.2346") == 1
    assert last_place_gap(b"1.2345", b"1.2345") is None  # alike: the checker's to say
    assert last_place_gap(b"1.2345", b"1.23451") is None  # places differ
    assert last_place_gap(b"0.5", b"0.6") is None  # too few places to be rounding
    assert last_place_gap(b"2 1.2345", b"3 1.2345") is None  # an integer differs


def test_a_rounding_tie_is_one_unit_in_the_last_of_four_places_or_more() -> None:
    assert rounding_tie(b"22.08491\n", b"22.08492")
    assert rounding_tie(b"3 1.00000\n", b"3 0.99999\n")  # a carry changes every digit
    assert not rounding_tie(b"0.5", b"0.6")  # one place: a different answer, not noise
    assert not rounding_tie(b"1.2345", b"1.2347")  # two units
    assert not rounding_tie(b"a 1.2345", b"b 1.2346")  # another token differs too
    assert not rounding_tie(b"1.2345", b"1.23451")  # places differ
    assert not rounding_tie(b"1.2345", b"1.2345")  # equal outputs are the checker's to say
