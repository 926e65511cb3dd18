"""Choosing up to ten submissions from the clusters.

AlphaCode 2: the best-scored candidate of each cluster, clusters ordered by that score.
AlphaCode 1 (a baseline here): clusters ordered by size, largest first. Either way, when there
are fewer clusters than submissions, the order wraps round: each cluster's next best candidate,
in the same cluster order, until the submissions or the candidates run out. Given families of
near-identical programs (`solver.families`), a cluster's next candidate is the best one of a
family not yet picked, while there is one: a sibling of a pick is rarely a new chance.
"""

from __future__ import annotations

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
    members = {
        cluster.id: _family_first(
            sorted(cluster.members, key=lambda c: (-scores.get(c, 0.0), c)), families or {}
        )
        for cluster in clusters
    }

    def best(cluster: Cluster) -> float:
        return scores.get(members[cluster.id][0], 0.0) if cluster.members else 0.0

    if order == "score":
        ordered = sorted(clusters, key=lambda c: (-best(c), -c.size, c.id))
    else:
        ordered = sorted(clusters, key=lambda c: (-c.size, -best(c), c.id))
    picks: list[Pick] = []
    round_ = 0
    while len(picks) < limit:
        added = False
        for cluster in ordered:
            if round_ < len(members[cluster.id]) and len(picks) < limit:
                candidate = members[cluster.id][round_]
                picks.append(Pick(len(picks) + 1, candidate, cluster, scores.get(candidate, 0.0)))
                added = True
        if not added:
            break
        round_ += 1
    return picks


def _family_first(ranked: list[int], families: Mapping[int, int]) -> list[int]:
    """The best member of each family in rank order, then the others in rank order."""
    seen: set[int] = set()
    first, rest = [], []
    for candidate in ranked:
        family = families.get(candidate, candidate)
        (rest if family in seen else first).append(candidate)
        seen.add(family)
    return first + rest
