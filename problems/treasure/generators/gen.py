#!/usr/bin/env python3
"""Deterministic test generator for treasure: python3 gen.py OUT_DIR [--seed S]

Writes NAME.in (t, then t lines "n x") and NAME.ans (the treasures' depths) for every test.
"""

import os
import random
import sys

MAXN = 10**6
MAXT = 200


def write(out, name, shafts):
    assert 1 <= len(shafts) <= MAXT
    for n, x in shafts:
        assert 1 <= x <= n <= MAXN
    with open(os.path.join(out, name + ".in"), "w") as f:
        f.write(f"{len(shafts)}\n" + "".join(f"{n} {x}\n" for n, x in shafts))
    with open(os.path.join(out, name + ".ans"), "w") as f:
        f.write("".join(f"{x}\n" for _, x in shafts))


def deepest_leaves(n):
    """Depths that a search pinging until it hears '=' reaches only after floor(log2 n) + 1
    pings: the treasure positions that punish not deducing the last step."""
    found = []

    def walk(lo, hi, pings):
        if lo > hi:
            return
        mid = (lo + hi) // 2
        if pings + 1 == n.bit_length():
            found.append(mid)
        walk(lo, mid - 1, pings + 1)
        walk(mid + 1, hi, pings + 1)

    if n <= 4096:
        walk(1, n, 0)
    return found


def main():
    args = sys.argv[1:]
    seed = 31337
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i : i + 2]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)

    write(out, "01-single-metre", [(1, 1)])
    write(out, "02-two-metres", [(2, 1), (2, 2)])
    write(out, "03-three-metres", [(3, 1), (3, 2), (3, 3)])
    write(out, "04-every-small-shaft", [(n, x) for n in range(1, 13) for x in range(1, n + 1)])
    powers = []
    for k in range(1, 20):
        for n in (2**k - 1, 2**k, 2**k + 1):
            powers += [(n, 1), (n, n)]
    write(out, "05-powers-of-two-ends", powers[:MAXT])
    leaves = []
    for n in (7, 8, 100, 1000, 4095, 4096):
        leaves += [(n, x) for x in rng.sample(deepest_leaves(n), min(20, len(deepest_leaves(n))))]
    write(out, "06-deepest-leaves", leaves[:MAXT])
    write(out, "07-max-ends", [(MAXN, 1), (MAXN, MAXN)] * (MAXT // 2))
    write(out, "08-max-random", [(MAXN, rng.randint(1, MAXN)) for _ in range(MAXT)])
    for number in range(9, 13):
        shafts = []
        for _ in range(MAXT):
            n = rng.randint(MAXN // 2, MAXN) if rng.random() < 0.7 else rng.randint(1, 1000)
            shafts.append((n, rng.randint(1, n)))
        write(out, f"{number:02d}-random", shafts)
    write(out, "13-max-middle", [(MAXN, MAXN // 2 + d) for d in range(-100, 100)])


main()
