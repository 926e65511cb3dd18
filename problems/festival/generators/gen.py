#!/usr/bin/env python3
"""Deterministic test generator for 'festival'.

usage: python3 gen.py OUT_DIR [--seed S]
Writes the secret .in files into OUT_DIR.
"""
import os
import random
import sys

MAXN = 5 * 10**4
MAXT = 10**6


def random_intervals(rng, n, maxt, maxlen):
    res = []
    for _ in range(n):
        length = rng.randint(0, maxlen)
        l = rng.randint(0, maxt - length)
        res.append((l, l + length))
    return res


def touching_chain(n):
    # [0,1], [1,2], [2,3], ...: neighbours touch, so only every other one fits.
    return [(i, i + 1) for i in range(n)]


def shortest_trap(rng, blocks, gap=3):
    # Each block: two long disjoint concerts and a short one overlapping both.
    # Taking the short one first loses one concert per block.
    res = []
    pos = 0
    for _ in range(blocks):
        a = rng.randint(4, 8)
        b = rng.randint(4, 8)
        first = (pos, pos + a)
        second = (pos + a + 1, pos + a + 1 + b)
        short = (pos + a, pos + a + 1)
        res.extend([first, second, short])
        pos = second[1] + gap
    return res


def write(out, name, iv, rng, shuffle=True):
    iv = list(iv)
    if shuffle:
        rng.shuffle(iv)
    with open(os.path.join(out, name + '.in'), 'w') as f:
        f.write(f'{len(iv)}\n')
        f.write(''.join(f'{l} {r}\n' for l, r in iv))


def main():
    out = sys.argv[1]
    seed = 777001
    if '--seed' in sys.argv:
        seed = int(sys.argv[sys.argv.index('--seed') + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    write(out, '01-n1', [(0, 0)], rng)
    write(out, '02-n1-max', [(0, MAXT)], rng)
    write(out, '03-all-same', [(5, 9)] * 10, rng)
    write(out, '04-nested', [(i, 40 - i) for i in range(20)], rng)
    write(out, '05-touching-chain', touching_chain(11), rng)
    write(out, '06-points', [(i, i) for i in range(0, 30, 2)] + [(4, 4), (4, 4)], rng)
    write(out, '07-shortest-trap', shortest_trap(rng, 5), rng)
    write(out, '08-small-random', random_intervals(rng, 10, 30, 6), rng)
    write(out, '09-small-random', random_intervals(rng, 100, 200, 10), rng)
    write(out, '10-medium-random', random_intervals(rng, 1000, 10000, 50), rng)
    write(out, '11-medium-touching', [(l, l + rng.randint(0, 2)) for l in (rng.randint(0, 2000) for _ in range(2000))], rng)
    write(out, '12-max-short', random_intervals(rng, MAXN, MAXT, 20), rng)
    write(out, '13-large-mixed', random_intervals(rng, 10**4, MAXT, 10**5), rng)
    write(out, '14-max-touching', [(l, l + rng.randint(0, 3)) for l in (rng.randint(0, 60000) for _ in range(MAXN))], rng)
    trap = shortest_trap(rng, MAXN // 3, gap=1)
    write(out, '15-max-shortest-trap', trap, rng)
    write(out, '16-max-all-same', [(7, 7)] * MAXN, rng)
    write(out, '17-large-sorted-disjoint', [(20 * i, 20 * i + 19) for i in range(10**4)], rng, shuffle=False)


if __name__ == '__main__':
    main()
