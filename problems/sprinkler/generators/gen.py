#!/usr/bin/env python3
"""Deterministic test generator for sprinkler: python3 gen.py OUT_DIR [--seed S]"""
import math
import os
import random
import sys

MAXN = 40000
C = 10 ** 6


def write(out, name, pts):
    n = len(pts)
    assert 1 <= n <= MAXN and len(set(pts)) == n
    assert all(-C <= x <= C and -C <= y <= C for x, y in pts)
    with open(os.path.join(out, name + ".in"), "w") as f:
        f.write("%d\n" % n + "".join("%d %d\n" % p for p in pts))


def distinct_random(rng, n, gen):
    seen = set()
    res = []
    while len(res) < n:
        p = gen()
        if p not in seen:
            seen.add(p)
            res.append(p)
    return res


def circle_points(R):
    pts = []
    for x in range(-R, R + 1):
        y2 = R * R - x * x
        y = math.isqrt(y2)
        if y * y == y2:
            pts.append((x, y))
            if y:
                pts.append((x, -y))
    return pts


def main():
    args = sys.argv[1:]
    seed = 4242
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)

    write(out, "01-single", [(C, -C)])
    write(out, "02-two-close", [(0, 0), (1, 1)])
    write(out, "03-two-far", [(-C, -C), (C, C)])
    write(out, "04-obtuse-triangle", [(-5, 0), (7, 1), (1, 2)])
    write(out, "05-acute-triangle", [(0, 0), (3, 0), (1, 2)])
    pts = [(x, 2 * x + 1) for x in rng.sample(range(-400, 401), 12)]
    write(out, "06-collinear-small", pts)
    write(out, "07-small-random", distinct_random(rng, 10, lambda: (rng.randint(-10, 10), rng.randint(-10, 10))))
    write(out, "08-small-grid", [(x, y) for x in range(4) for y in range(4)])
    cp = circle_points(1105)
    rng.shuffle(cp)
    write(out, "09-circle-subset", cp[:30])
    write(out, "10-medium-random", distinct_random(rng, 1000, lambda: (rng.randint(-C, C), rng.randint(-C, C))))
    # a very wide, flat set: the two extreme points decide
    write(out, "11-wide-flat", [(-C, 0), (C, 1), (0, -1), (1, 0), (-1, 1)])
    write(out, "12-max-random-square", distinct_random(rng, MAXN, lambda: (rng.randint(-C, C), rng.randint(-C, C))))

    def in_disk():
        while True:
            x, y = rng.randint(-C, C), rng.randint(-C, C)
            if x * x + y * y <= C * C:
                return (x, y)
    write(out, "13-max-random-disk", distinct_random(rng, MAXN, in_disk))
    R = 801125  # 5^3 * 13 * 17 * 29: 756 lattice points on the circle
    cp = circle_points(R)
    seen = set(cp)
    pts = list(cp)
    lim = int(R * 0.7)
    while len(pts) < MAXN:
        p = (rng.randint(-lim, lim), rng.randint(-lim, lim))
        if p not in seen:
            seen.add(p)
            pts.append(p)
    rng.shuffle(pts)
    write(out, "14-max-circle-and-inside", pts)
    box = [(x, y) for x in range(-100, 101) for y in range(-100, 101)]
    rng.shuffle(box)
    write(out, "15-max-small-box", box[:MAXN])
    xs = rng.sample(range(-499999, 500000), 5000)
    write(out, "16-collinear-large", [(x, 2 * x + 1) for x in xs])
    pts = distinct_random(rng, 2000, lambda: (rng.randint(-C + 1, C - 1), rng.randint(-C + 1, C - 1)))
    pts = [p for p in pts if abs(p[0]) != C] + [(C, C), (-C, -C), (C, -C), (-C, C)]
    rng.shuffle(pts)
    write(out, "17-corners", pts)


if __name__ == "__main__":
    main()
