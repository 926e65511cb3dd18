#!/usr/bin/env python3
"""Deterministic test generator for bridgefall: python3 gen.py OUT_DIR [--seed S]"""
import os
import random
import sys

MAXN = 30000
MAXM = 30000


def write(out, name, n, edges, order):
    m = len(edges)
    assert 2 <= n <= MAXN and 1 <= m <= MAXM and 1 <= len(order) <= m
    assert len(set(order)) == len(order) and all(1 <= x <= m for x in order)
    lines = ["%d %d" % (n, m)]
    for a, b in edges:
        assert 1 <= a <= n and 1 <= b <= n and a != b
        lines.append("%d %d" % (a, b))
    lines.append(str(len(order)))
    lines.append(" ".join(map(str, order)))
    with open(os.path.join(out, name + ".in"), "w") as f:
        f.write("\n".join(lines) + "\n")


def shuffled_labels(rng, n, edges):
    perm = list(range(1, n + 1))
    rng.shuffle(perm)
    perm = [0] + perm
    res = [(perm[a], perm[b]) if rng.random() < 0.5 else (perm[b], perm[a]) for a, b in edges]
    rng.shuffle(res)
    return res


def rand_edge(rng, n):
    a = rng.randint(1, n)
    b = rng.randint(1, n - 1)
    if b >= a:
        b += 1
    return (a, b)


def order(rng, m, q):
    o = list(range(1, m + 1))
    rng.shuffle(o)
    return o[:q]


def main():
    args = sys.argv[1:]
    seed = 777001
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)

    write(out, "01-single-bridge", 2, [(1, 2)], [1])
    write(out, "02-isolated-islands", 10, [(3, 7), (7, 9)], [2])
    write(out, "03-parallel-partial", 2, [(1, 2), (2, 1), (1, 2)], [3, 1])
    write(out, "04-parallel-all", 3, [(1, 2), (2, 3), (2, 1), (3, 2), (1, 3)], [1, 4, 5, 2, 3])
    write(out, "05-two-cycles", 7, [(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 7), (7, 4), (3, 4)], [8, 1, 5, 2, 7])
    e = [rand_edge(rng, 8) for _ in range(14)]
    write(out, "06-small-random", 8, e, order(rng, 14, 14))
    n = 12
    e = [(1, v) for v in range(2, n + 1)]
    write(out, "07-star", n, shuffled_labels(rng, n, e), order(rng, n - 1, n - 1))
    # few distinct pairs: lots of parallel bridges
    n = 300
    pool = [rand_edge(rng, n) for _ in range(400)]
    e = [rng.choice(pool) for _ in range(1000)]
    write(out, "08-medium-many-parallel", n, e, order(rng, 1000, 700))
    n = 2000
    e = [(rng.randint(1, v - 1), v) for v in range(2, n + 1)] + [rand_edge(rng, n) for _ in range(300)]
    write(out, "09-medium-tree-plus", n, shuffled_labels(rng, n, e), order(rng, len(e), 1500))
    n = MAXN
    e = [(i, i % n + 1) for i in range(1, n + 1)]
    write(out, "10-max-cycle", n, shuffled_labels(rng, n, e), order(rng, n, n))
    e = [rand_edge(rng, MAXN) for _ in range(MAXM)]
    write(out, "11-max-random", MAXN, e, order(rng, MAXM, MAXM))
    n = 50
    e = [rand_edge(rng, n) for _ in range(MAXM)]
    write(out, "12-max-few-islands", n, e, order(rng, MAXM, MAXM))
    n = 15000
    e = [(rng.randint(max(1, v - 10), v - 1), v) for v in range(2, n + 1)]
    pool = [rand_edge(rng, n) for _ in range(5000)]
    e += [rng.choice(pool) for _ in range(MAXM - len(e))]
    write(out, "13-max-tree-plus-parallel", n, shuffled_labels(rng, n, e), order(rng, MAXM, 20000))


if __name__ == "__main__":
    main()
