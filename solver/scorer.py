"""The learned scorer: a probability that a candidate is correct, from what is known without
the hidden tests (its cluster, its runs on the generated inputs, its source).

A logistic regression (scikit-learn) over standardised features. The trained model ships as a
small JSON file of coefficients (`solver/data/scorer.json`): no pickle, readable and diffable.
`solver train-scorer` rebuilds it from feature records that `python -m solver.evaluate` writes.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solver.cluster import Clustering

DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "scorer.json"

FEATURES: tuple[str, ...] = (
    "cluster_share",  # the cluster's share of the survivors
    "log_cluster_size",
    "cluster_rank_inv",  # 1 / (1 + rank by size): 1 for the largest cluster
    "is_largest",
    "input_agreement",  # per input, the share of survivors answering alike; averaged
    "plurality_rate",  # inputs on which its answer is the most common one
    "log_clusters",  # how split the survivors are (a property of the problem's pool)
    "crash_rate",
    "timeout_rate",
    "time_ratio",  # slowest run on the generated inputs / the time limit
    "relative_slowness",  # log of its time on the largest input over the fastest cluster's
    "sample_time_ratio",
    "log_memory_mib",
    "log_code_length",
    "lang_c",
    "lang_cpp",
    "lang_python3",
    "lang_java",
    "logprob_mean",  # the model's mean token log-probability, where the endpoint gave it
    "has_logprob",
)

# Used when no trained model ships: prefer large, agreeing, clean and fast clusters.
_PRIOR = {
    "cluster_share": 2.0,
    "input_agreement": 3.0,
    "plurality_rate": 1.0,
    "is_largest": 0.5,
    "crash_rate": -3.0,
    "timeout_rate": -3.0,
    "time_ratio": -1.0,
}


# Times and memory differ a little from one run of the same program to the next. Features see
# them at a coarser grain (a floor, then quarter-octave steps) so that the same pool ranks the
# same way on every run, and a replay resumed from its store agrees with an uninterrupted one.
TIME_FLOOR_S = 0.1
MEMORY_FLOOR_MIB = 64.0

# A cluster counts as larger than another only when its votes exceed the other's by this
# share (measured on the near-miss pools: 0.25-0.34 gave Codeforces hard top-1 0.750 against
# 0.700 and left the other three sets unchanged; 0.4 and more cost Kattis hard problems).
NEAR_TIE = 0.3


def coarse(value: float, floor: float) -> float:
    """`value` raised to `floor` and rounded to a quarter-octave step above it."""
    if value <= floor:
        return floor
    return floor * 2 ** (round(4 * math.log2(value / floor)) / 4)


@dataclass(frozen=True)
class CandidateFacts:
    """What the pipeline knows of one survivor, beyond its clustering."""

    language: str
    source_length: int
    sample_time_s: float
    logprob: float | None = None
    logprob_tokens: int | None = None


def family_weights(members: Iterable[int], families: Mapping[int, int]) -> dict[int, float]:
    """Each candidate's vote: 1 / the size of its family of near-identical programs among
    `members` (solver.families). Siblings that differ in a token are not independent votes."""
    members = list(members)
    sizes = Counter(families.get(m, m) for m in members)
    return {m: 1.0 / sizes[families.get(m, m)] for m in members}


def candidate_features(
    candidate: int,
    clustering: Clustering,
    facts: CandidateFacts,
    time_limit_s: float,
    weights: Mapping[int, float] | None = None,
) -> dict[str, float]:
    """`weights`: each candidate's vote in the cluster sizes and agreement (default 1 each)."""

    def weight(c: int) -> float:
        return weights.get(c, 1.0) if weights is not None else 1.0

    sizes = {c.id: sum(weight(m) for m in c.members) for c in clustering.clusters}
    survivors = sum(sizes.values())
    cluster = clustering.cluster_of(candidate)
    size = sizes[cluster.id]
    # Clusters of equal size share a rank: their order in the list is only the pool's order,
    # which says nothing of correctness. So do clusters of nearly equal size: votes counted by
    # family are coarse, and a slightly larger wrong cluster should not become "the largest".
    rank = sum(1 for other in sizes.values() if other > size * (1 + NEAR_TIE) + 1e-9)
    behaviour = clustering.behaviour[candidate]
    inputs = max(1, len(clustering.kept_inputs))
    agreement, plurality = 0.0, 0
    for per_input in clustering.classes:
        mine = per_input.get(candidate)
        counts: dict[int, float] = {}
        for k, v in per_input.items():
            if k in clustering.behaviour:
                counts[v] = counts.get(v, 0.0) + weight(k)
        if mine is None:
            continue
        agreement += counts[mine] / sum(counts.values())
        if mine >= 0 and counts[mine] >= max(counts.values()) - 1e-9:
            plurality += 1
    fastest = min(
        (
            coarse(clustering.behaviour[c.members[0]].largest_input_time_s, TIME_FLOOR_S)
            for c in clustering.clusters
        ),
        default=TIME_FLOOR_S,
    )
    logprob = None
    if facts.logprob is not None and facts.logprob_tokens:
        logprob = facts.logprob / facts.logprob_tokens
    values = {
        "cluster_share": size / survivors if survivors > 0 else 0.0,
        "log_cluster_size": math.log1p(size),
        "cluster_rank_inv": 1.0 / (1 + rank),
        "is_largest": float(rank == 0),
        "input_agreement": agreement / inputs if clustering.classes else 1.0,
        "plurality_rate": plurality / inputs if clustering.classes else 1.0,
        "log_clusters": math.log1p(len(clustering.clusters)),
        "crash_rate": behaviour.crashes / inputs,
        "timeout_rate": behaviour.timeouts / inputs,
        "time_ratio": min(3.0, coarse(behaviour.max_time_s, TIME_FLOOR_S) / time_limit_s),
        "relative_slowness": math.log(
            coarse(behaviour.largest_input_time_s, TIME_FLOOR_S) / fastest
        ),
        "sample_time_ratio": min(3.0, coarse(facts.sample_time_s, TIME_FLOOR_S) / time_limit_s),
        "log_memory_mib": math.log1p(coarse(behaviour.max_memory_kib / 1024, MEMORY_FLOOR_MIB)),
        "log_code_length": math.log1p(facts.source_length),
        "lang_c": float(facts.language == "c"),
        "lang_cpp": float(facts.language == "cpp"),
        "lang_python3": float(facts.language == "python3"),
        "lang_java": float(facts.language == "java"),
        "logprob_mean": logprob if logprob is not None else 0.0,
        "has_logprob": float(logprob is not None),
    }
    return values


@dataclass(frozen=True)
class Scorer:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    info: Mapping[str, Any]

    def score(self, values: Mapping[str, float]) -> float:
        z = self.intercept
        for name, mean, scale, weight in zip(
            self.features, self.mean, self.scale, self.coef, strict=True
        ):
            z += weight * (values.get(name, 0.0) - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "logistic-regression",
            "features": list(self.features),
            "mean": [round(v, 8) for v in self.mean],
            "scale": [round(v, 8) for v in self.scale],
            "coef": [round(v, 8) for v in self.coef],
            "intercept": round(self.intercept, 8),
            "info": dict(self.info),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scorer:
        names = tuple(data["features"])
        lengths = {len(data[k]) for k in ("mean", "scale", "coef")}
        if data.get("kind") != "logistic-regression" or lengths != {len(names)}:
            raise ValueError("not a logistic-regression scorer of consistent length")
        return cls(
            names,
            tuple(float(v) for v in data["mean"]),
            tuple(float(v) or 1.0 for v in data["scale"]),
            tuple(float(v) for v in data["coef"]),
            float(data["intercept"]),
            dict(data.get("info", {})),
        )

    @classmethod
    def prior(cls) -> Scorer:
        """Hand-set weights on raw features: the fallback when no trained model is found."""
        return cls(
            FEATURES,
            tuple(0.0 for _ in FEATURES),
            tuple(1.0 for _ in FEATURES),
            tuple(_PRIOR.get(name, 0.0) for name in FEATURES),
            -2.0,
            {"trained": False},
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Scorer:
        """The model at `path`, else the shipped one, else the prior."""
        path = path or DEFAULT_MODEL
        if not path.is_file():
            return cls.prior()
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")


# Directions known before any data: a candidate that crashes, times out or is slower than its
# peers is not more likely to be correct. Training keeps these coefficients at or below zero
# (a feature whose fitted sign says otherwise is left out and the rest refitted): pools are
# small, and a coefficient of the wrong sign there ranks a timing-out program first.
NON_POSITIVE: tuple[str, ...] = (
    "crash_rate",
    "timeout_rate",
    "time_ratio",
    "relative_slowness",
    "sample_time_ratio",
)


def train(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    *,
    regularization: float = 1.0,
    info: Mapping[str, Any] | None = None,
) -> Scorer:
    """Fits the logistic regression; deterministic (lbfgs, no random state involved)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ValueError("training needs both correct and incorrect candidates")
    matrix = np.array([[row.get(name, 0.0) for name in FEATURES] for row in rows], dtype=float)
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    standardised = (matrix - mean) / scale
    used = list(range(len(FEATURES)))
    while True:
        model = LogisticRegression(C=regularization, max_iter=2000)
        model.fit(standardised[:, used], np.array(labels))
        wrong = [
            column
            for column, weight in zip(used, model.coef_[0], strict=True)
            if FEATURES[column] in NON_POSITIVE and weight > 0
        ]
        if not wrong:
            break
        used = [column for column in used if column not in wrong]
    coefficients = [0.0] * len(FEATURES)
    for column, weight in zip(used, model.coef_[0], strict=True):
        coefficients[column] = float(weight)
    left_out = [FEATURES[c] for c in range(len(FEATURES)) if c not in used]
    return Scorer(
        FEATURES,
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(coefficients),
        float(model.intercept_[0]),
        dict(
            info or {},
            trained=True,
            rows=len(rows),
            positives=int(sum(labels)),
            left_out_for_sign=left_out,
        ),
    )
