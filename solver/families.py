"""Families of near-identical programs: the same tokens but for at most two.

Programs that differ in a token or two (a comparison flipped, a bound moved by one) are not
independent attempts. A family's members share one vote in the cluster sizes the scorer sees
(`solver.scorer.family_weights`), and the ten submissions take one member of each family before
a second of any (`solver.select`).

Only programs with the same number of tokens are compared (single-token substitutions, which
is what near misses mostly are). By pigeonhole, two token sequences that differ in at most two
places agree exactly on one of three blocks, so only programs sharing a block are compared: the
cost stays near linear in the pool's size.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MAX_DIFFERENT_TOKENS = 2
BLOCKS = MAX_DIFFERENT_TOKENS + 1

# Words, numbers, string and character literals, operators of two or three characters (so that
# `<` and `<=` are each one token), then any other non-space character.
_TOKEN = re.compile(
    r"""[A-Za-z_]\w*|\d[\w.]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""
    r"|<<=|>>=|\*\*=|//=|[<>=!+\-*/%&|^]=|<<|>>|&&|\|\||\+\+|--|->|::|\*\*|//|\S"
)


def tokens(source: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(source))


def _blocks(sequence: tuple[str, ...]) -> list[tuple[str, ...]]:
    size = len(sequence)
    bounds = [size * i // BLOCKS for i in range(BLOCKS + 1)]
    return [sequence[bounds[i] : bounds[i + 1]] for i in range(BLOCKS)]


def _close(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    different = 0
    for x, y in zip(a, b, strict=True):
        if x != y:
            different += 1
            if different > MAX_DIFFERENT_TOKENS:
                return False
    return True


def find_families(sources: Mapping[int, str]) -> dict[int, int]:
    """Candidate -> its family (the smallest candidate index in it); near-identical programs,
    and chains of them, are one family."""
    parent = {c: c for c in sources}

    def root(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    sequences = {c: tokens(source) for c, source in sources.items()}
    buckets: dict[tuple[int, int, tuple[str, ...]], list[int]] = {}
    for c in sorted(sequences):
        sequence = sequences[c]
        for number, block in enumerate(_blocks(sequence)):
            buckets.setdefault((len(sequence), number, block), []).append(c)
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                ra, rb = root(a), root(b)
                if ra != rb and _close(sequences[a], sequences[b]):
                    parent[max(ra, rb)] = min(ra, rb)
    return {c: root(c) for c in sources}
