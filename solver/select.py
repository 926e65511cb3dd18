"""Choosing up to ten submissions from the clusters.

AlphaCode 2: the best-scored candidate of each cluster, clusters ordered by that score.
AlphaCode 1 (a baseline here): clusters ordered by size, largest first. Either way, when there
are fewer clusters than submissions, the order wraps round: each cluster's next best candidate,
in the same cluster order, until the submissions or the candidates run out.

Given families of near-identical programs (`solver.families`), ten submissions are first ten
different attempts: while any family is left unpicked, each cluster in turn gives its best
member of such a family (a sibling of a pick, in its cluster or another, is rarely a new
chance); then the order wraps round as above over the members left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from solver.cluster import Cluster

Order = Literal["score", "size"]
MAX_SUBMISSIONS = 10


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
) -> list[Pick]:
    """Up to `limit` picks; candidates missing from `scores` count as 0."""
    members = {cluster.id: _ranked(cluster, scores, families or {}) for cluster in clusters}

    def best(cluster: Cluster) -> float:
        return max((scores.get(c, 0.0) for c in cluster.members), default=0.0)

    if order == "score":
        ordered = sorted(clusters, key=lambda c: (-best(c), -c.size, c.id))
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


def _ranked(cluster: Cluster, scores: dict[int, float], families: Mapping[int, int]) -> list[int]:
    """A cluster's members in the order they are submitted. Siblings in one cluster differ at a
    point the inputs did not decide, where at most one variant is usually right: each gets its
    score over its family's size in the cluster."""
    in_cluster = Counter(families.get(m, m) for m in cluster.members)

    def key(c: int) -> tuple[float, int]:
        return -scores.get(c, 0.0) / in_cluster[families.get(c, c)], c

    return sorted(cluster.members, key=key)
