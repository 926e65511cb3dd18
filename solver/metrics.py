"""Solve-rate metrics of a replay, as AlphaCode and Codex define them.

- pass@k: the chance that at least one of k samples drawn from the n a problem got is correct,
  by the unbiased estimator 1 - C(n-c, k) / C(n, k) (Chen et al., 2021), with c correct samples.
- n@k (AlphaCode's 10@k): the chance that, given k samples, the solver's n submissions include
  a correct one. Estimated by subsampling: draw k of the K samples at random (without
  replacement), rerun selection on what was drawn (clusters, features and scores restricted
  to it), and check its picks against the hidden-test verdicts; averaged over many draws.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import replace

from solver.cluster import Clustering, group


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k for n samples of which c are correct (k <= n)."""
    if k > n:
        raise ValueError(f"k={k} exceeds n={n}")
    if n - c < k:
        return 1.0
    # 1 - prod_{i=n-c+1..n} (1 - k/i): numerically stable for large n.
    failing = 1.0
    for i in range(n - c + 1, n + 1):
        failing *= 1.0 - k / i
    return 1.0 - failing


def sample_sizes(n: int) -> list[int]:
    """1, 2, 4, ... up to n, and n itself."""
    sizes = []
    k = 1
    while k < n:
        sizes.append(k)
        k *= 2
    if n >= 1:
        sizes.append(n)
    return sizes


def restrict(clustering: Clustering, members: set[int]) -> Clustering:
    """The clustering as if only `members` had survived: clusters regrouped (ids renumbered),
    answer classes kept as they were (they do not depend on who else answered alike)."""
    kept = {c: b for c, b in clustering.behaviour.items() if c in members}
    return replace(
        clustering,
        behaviour=kept,
        clusters=group(kept),
        classes=[{c: v for c, v in per.items() if c in kept} for per in clustering.classes],
    )


Rank = Callable[[Clustering], list[int]]  # a clustering -> the candidates picked, in order


def n_at_k(
    counts: Sequence[int],
    survivors: set[int],
    correct: set[int],
    clustering: Clustering | None,
    rank: Rank,
    k: int,
    *,
    draws: int,
    rng: random.Random,
    submissions: Sequence[int] = (1, 10),
) -> dict[int, float]:
    """Estimated n@k for each n in `submissions`. `counts[i]` is how many of the samples were
    candidate i (identical programs are merged); a draw takes k samples, not k candidates."""
    total = sum(counts)
    if k > total:
        raise ValueError(f"k={k} exceeds the {total} samples")
    population = [index for index, count in enumerate(counts) for _ in range(count)]
    exhaustive = k == total  # every draw is the whole pool: one is enough
    solved = dict.fromkeys(submissions, 0.0)
    rounds = 1 if exhaustive else draws
    for _ in range(rounds):
        drawn = set(population) if exhaustive else set(rng.sample(population, k))
        alive = drawn & survivors
        if not alive or clustering is None or not (alive & correct):
            continue
        picks = rank(restrict(clustering, alive))
        for n in submissions:
            if any(pick in correct for pick in picks[:n]):
                solved[n] += 1
    return {n: solved[n] / rounds for n in submissions}


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else 0.0
