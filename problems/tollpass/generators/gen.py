#!/usr/bin/env python3
"""Deterministic test generator for tollpass: python3 gen.py OUT_DIR [--seed S]"""
import os
import random
import sys

MAXN = 20000
MAXM = 40000
MAXW = 10 ** 9


def write(out, name, n, edges):
    assert 1 <= n <= MAXN and len(edges) <= MAXM
    lines = ["%d %d" % (n, len(edges))]
    for u, v, w in edges:
        assert 1 <= u <= n and 1 <= v <= n and u != v and 1 <= w <= MAXW
        lines.append("%d %d %d" % (u, v, w))
    with open(os.path.join(out, name + ".in"), "w") as f:
        f.write("\n".join(lines) + "\n")


def relabel(rng, n, edges):
    """Random labels for cities 2..n-1 (1 and n keep their roles), shuffled road order."""
    mid = list(range(2, n))
    rng.shuffle(mid)
    perm = [0, 1] + mid + ([n] if n >= 2 else [])
    res = []
    for u, v, w in edges:
        a, b = perm[u], perm[v]
        if rng.random() < 0.5:
            a, b = b, a
        res.append((a, b, w))
    rng.shuffle(res)
    return res


def random_connected(rng, n, m, wlo, whi):
    edges = []
    for v in range(2, n + 1):
        edges.append((rng.randint(max(1, v - 50), v - 1) if rng.random() < 0.5 else rng.randint(1, v - 1), v, rng.randint(wlo, whi)))
    while len(edges) < m:
        u = rng.randint(1, n)
        v = rng.randint(1, n)
        if u != v:
            edges.append((u, v, rng.randint(wlo, whi)))
    return edges


def main():
    args = sys.argv[1:]
    seed = 20240611
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)

    write(out, "01-two-cities", 2, [(2, 1, 7)])
    write(out, "02-n1", 1, [])
    write(out, "03-no-roads", 5, [])
    write(out, "04-unreachable", 6, [(1, 2, 3), (2, 3, 4), (3, 1, 5), (4, 5, 1), (5, 6, 1), (6, 4, 2)])
    # cheapest trip without the pass is 1-2-4 (20 -> 15 with the pass),
    # but 1-3-4 with the pass on the 22 road costs 12
    write(out, "05-pass-changes-route", 4, [(1, 2, 10), (2, 4, 10), (1, 3, 1), (3, 4, 22)])
    write(out, "06-odd-tolls", 5, [(1, 2, 1), (2, 3, 1), (3, 4, 1), (4, 5, 1), (1, 5, 5)])
    write(out, "07-parallel-roads", 3, [(1, 2, 9), (2, 1, 4), (1, 2, 100), (2, 3, 7), (3, 2, 1000000000), (3, 2, 8)])
    # many cheap hops versus few expensive hops, nested several times
    edges = []
    n = 1
    for layer in range(6):
        a = n
        b = n + 4
        edges.append((a, b, 50 + layer))           # direct but expensive
        edges += [(a, a + 1, 3), (a + 1, a + 2, 3), (a + 2, a + 3, 3), (a + 3, b, 3)]
        n = b
    write(out, "08-many-cheap-hops", n, relabel(rng, n, edges))
    write(out, "09-small-random", 10, relabel(rng, 10, random_connected(rng, 10, 20, 1, 30)))
    write(out, "10-small-random-big-tolls", 12, relabel(rng, 12, random_connected(rng, 12, 30, 1, MAXW)))
    write(out, "11-medium-random", 500, relabel(rng, 500, random_connected(rng, 500, 2000, 1, 1000)))
    # a single long chain of expensive roads: distances far beyond 2^31
    n = MAXN
    edges = [(i, i + 1, rng.randint(9 * 10 ** 8, MAXW)) for i in range(1, n)]
    write(out, "12-chain-overflow", n, relabel(rng, n, edges))
    # grid with expensive roads: long trips
    R, C = 50, 100
    n = R * C
    edges = []
    for r in range(R):
        for c in range(C):
            v = r * C + c + 1
            if c + 1 < C:
                edges.append((v, v + 1, rng.randint(5 * 10 ** 8, MAXW)))
            if r + 1 < R:
                edges.append((v, v + C, rng.randint(5 * 10 ** 8, MAXW)))
    write(out, "13-grid-big-tolls", n, relabel(rng, n, edges))
    # two big halves, 1 and n in different halves
    n = MAXN
    half = n // 2
    edges = []
    for v in range(2, half + 1):
        edges.append((rng.randint(1, v - 1), v, rng.randint(1, 100)))
    for v in range(half + 2, n + 1):
        edges.append((rng.randint(half + 1, v - 1), v, rng.randint(1, 100)))
    write(out, "14-max-disconnected", n, relabel(rng, n, edges))
    write(out, "15-max-random", MAXN, relabel(rng, MAXN, random_connected(rng, MAXN, MAXM, 1, MAXW)))
    write(out, "16-max-random-small-tolls", MAXN, relabel(rng, MAXN, random_connected(rng, MAXN, MAXM, 1, 10)))


if __name__ == "__main__":
    main()
