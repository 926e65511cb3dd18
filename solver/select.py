"""Choosing up to ten submissions from the clusters.

AlphaCode 2: the best-scored candidate of each cluster, clusters ordered by that score.
AlphaCode 1 (a baseline here): clusters ordered by size, largest first. Either way, when there
are fewer clusters than submissions, the order wraps round: each cluster's next best candidate,
in the same cluster order, until the submissions or the candidates run out.

Given families of near-identical programs (`solver.families`), ten submissions are first ten
different attempts: while any family is left unpicked, each cluster in turn gives its best
member of such a family (a sibling of a pick, in its cluster or another, is rarely a new
chance); then the order wraps round as above over the members left.

Slow programs come last (`slow_members`): a correct but slow program fails on the hidden tests
as surely as a wrong one, and generated inputs that agree on answers often differ in time.
A cluster whose members are all slow follows every other cluster; inside a cluster, its slow
members follow the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from solver.cluster import Cluster, Clustering
from solver.scorer import TIME_FLOOR_S, coarse

Order = Literal["score", "size"]
MAX_SUBMISSIONS = 10
SLOWER = 3.0  # this many times its cluster's fastest member's time, on the largest input, is slow
SLOW_FLOOR_S = 0.25  # shorter times are too near the timer's noise to compare


@dataclass(frozen=True)
class Pick:
    rank: int  # 1-based
    candidate: int
    cluster: Cluster
    score: float


def select(
    clusters: list[Cluster],
    scores: dict[int, float],
    *,
    limit: int = MAX_SUBMISSIONS,
    order: Order = "score",
    families: Mapping[int, int] | None = None,
    slow: Collection[int] = frozenset(),
) -> list[Pick]:
    """Up to `limit` picks; candidates missing from `scores` count as 0."""
    members = {cluster.id: _ranked(cluster, scores, families or {}, slow) for cluster in clusters}

    def best(cluster: Cluster) -> float:
        return max((scores.get(c, 0.0) for c in cluster.members), default=0.0)

    def all_slow(cluster: Cluster) -> bool:
        return all(c in slow for c in cluster.members)

    if order == "score":
        ordered = sorted(clusters, key=lambda c: (all_slow(c), -best(c), -c.size, c.id))
    else:
        ordered = sorted(clusters, key=lambda c: (-c.size, -best(c), c.id))
    families = families or {}
    picks: list[Pick] = []
    taken: set[int] = set()
    used: set[int] = set()  # families picked from

    def one_round(new_family: bool) -> bool:
        """Each cluster in order gives its next member (of a family not yet picked from)."""
        added = False
        for cluster in ordered:
            if len(picks) >= limit:
                break
            candidate = next(
                (
                    c
                    for c in members[cluster.id]
                    if c not in taken and not (new_family and families.get(c, c) in used)
                ),
                None,
            )
            if candidate is not None:
                picks.append(Pick(len(picks) + 1, candidate, cluster, scores.get(candidate, 0.0)))
                taken.add(candidate)
                used.add(families.get(candidate, candidate))
                added = True
        return added

    while len(picks) < limit and one_round(new_family=True):
        pass
    while len(picks) < limit and one_round(new_family=False):
        pass
    return picks


def _ranked(
    cluster: Cluster,
    scores: dict[int, float],
    families: Mapping[int, int],
    slow: Collection[int],
) -> list[int]:
    """A cluster's members in the order they are submitted, slow ones last. Siblings in one
    cluster differ at a point the inputs did not decide, where at most one variant is usually
    right: each gets its score over its family's size in the cluster."""
    in_cluster = Counter(families.get(m, m) for m in cluster.members)

    def key(c: int) -> tuple[bool, float, int]:
        return c in slow, -scores.get(c, 0.0) / in_cluster[families.get(c, c)], c

    return sorted(cluster.members, key=key)


def slow_members(clustering: Clustering, *, screened: bool) -> set[int]:
    """Survivors likely to run out of time on the hidden tests: those `SLOWER` times slower on
    the largest input than the fastest member of their own cluster (the same answers), and,
    where a validator screened the inputs (`screened`), those that timed out on some input
    another survivor answered in time. An unscreened input may break a promise a correct
    program relies on to stop (measured: a Codeforces simulation loops forever on m = 1 where
    the statement says m >= 2)."""
    behaviour = clustering.behaviour
    slow = set()
    if screened and any(b.timeouts == 0 for b in behaviour.values()):
        slow = {c for c, b in behaviour.items() if b.timeouts > 0}
    for cluster in clustering.clusters:
        times = {
            c: coarse(behaviour[c].largest_input_time_s, TIME_FLOOR_S) for c in cluster.members
        }
        fastest = min(times.values(), default=0.0)
        slow |= {c for c, t in times.items() if t >= SLOW_FLOOR_S and t >= SLOWER * fastest}
    return slow
