#!/usr/bin/env python3
"""Deterministic test generator for snowplow: python3 gen.py OUT_DIR [--seed S]"""
import os
import random
import sys

MAXN = 10000
MAXM = 40000


def write(out, name, n, edges):
    m = len(edges)
    assert 2 <= n <= MAXN and 1 <= m <= MAXM
    lines = ["%d %d" % (n, m)]
    for a, b in edges:
        assert 1 <= a <= n and 1 <= b <= n and a != b
        lines.append("%d %d" % (a, b))
    with open(os.path.join(out, name + ".in"), "w") as f:
        f.write("\n".join(lines) + "\n")


def relabel(rng, n, edges, keep_one=True):
    """Shuffle street order and orientation; random labels (1 stays 1 if keep_one)."""
    if keep_one:
        rest = list(range(2, n + 1))
        rng.shuffle(rest)
        perm = [0, 1] + rest
    else:
        perm = list(range(1, n + 1))
        rng.shuffle(perm)
        perm = [0] + perm
    res = [(perm[a], perm[b]) if rng.random() < 0.5 else (perm[b], perm[a]) for a, b in edges]
    rng.shuffle(res)
    return res


def walk(rng, n, m, start, closed, verts=None):
    """Streets of a random walk with m steps from start (closed: back to start)."""
    if verts is None:
        verts = list(range(1, n + 1))
    seq = [start]
    for step in range(m):
        last_step = step == m - 1
        while True:
            v = start if (closed and last_step) else rng.choice(verts)
            if v != seq[-1] and not (closed and step == m - 2 and v == start):
                break
        seq.append(v)
    return [(seq[i], seq[i + 1]) for i in range(m)]


def main():
    args = sys.argv[1:]
    seed = 55555
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)

    write(out, "01-single-street", 2, [(2, 1)])
    write(out, "02-depot-has-no-street", 3, [(2, 3)])
    write(out, "03-two-parallel-streets", 2, [(1, 2), (2, 1)])
    # odd intersections 2 and 3, the depot is even: impossible
    write(out, "04-depot-even-others-odd", 3, [(1, 2), (1, 3)])
    write(out, "05-two-separate-cycles", 6, [(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4)])
    write(out, "06-isolated-intersections", 10, relabel(rng, 4, [(1, 2), (2, 3), (3, 4), (4, 1)]))
    write(out, "07-many-parallel", 3, [(1, 2), (2, 1), (1, 2), (2, 3), (3, 2)])
    write(out, "08-small-circuit", 6, relabel(rng, 6, walk(rng, 6, 12, 1, True)))
    write(out, "09-small-path", 7, relabel(rng, 7, walk(rng, 7, 11, 1, False)))
    n = 8
    write(out, "10-star-impossible", n, relabel(rng, n, [(1, v) for v in range(2, n + 1)]))
    # depot even, two other odd intersections, everything connected
    e = walk(rng, 30, 60, 5, False)
    while e[-1][1] in (1, 5) or not any(1 in st for st in e):
        e = walk(rng, 30, 60, 5, False)
    write(out, "11-path-not-from-depot", 30, e)
    write(out, "12-medium-circuit", 1000, relabel(rng, 1000, walk(rng, 1000, 5000, 1, True)))
    # circuit through 1 plus a separate small circuit elsewhere
    e = walk(rng, 500, 3000, 1, True, list(range(1, 501)))
    e += walk(rng, 600, 30, 501, True, list(range(501, 601)))
    write(out, "13-medium-disconnected", 600, relabel(rng, 600, e))
    write(out, "14-max-circuit", MAXN, relabel(rng, MAXN, walk(rng, MAXN, MAXM, 1, True)))
    write(out, "15-max-path-from-depot", MAXN, relabel(rng, MAXN, walk(rng, MAXN, MAXM - 1, 1, False)))
    # the depot lies on many triangles (with doubled far sides): very high degree
    e = []
    v = 2
    while v + 1 <= MAXN:
        e += [(1, v), (v, v + 1), (v + 1, 1), (v, v + 1), (v + 1, v), (v, v + 1), (v + 1, v)]
        v += 2
    n = v - 1
    write(out, "16-max-flower", n, relabel(rng, n, e))
    # random streets: many odd intersections
    e = []
    while len(e) < 20000:
        a, b = rng.randint(1, MAXN), rng.randint(1, MAXN)
        if a != b:
            e.append((a, b))
    write(out, "17-large-random-impossible", MAXN, e)
    # a long route exists but it must start at intersection 2, not at the depot
    e = walk(rng, MAXN, 20000, 2, False)
    while e[-1][1] in (1, 2) or not any(1 in st for st in e):
        e = walk(rng, MAXN, 20000, 2, False)
    write(out, "18-large-path-wrong-start", MAXN, e)


if __name__ == "__main__":
    main()
