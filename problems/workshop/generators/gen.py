#!/usr/bin/env python3
"""Deterministic test generator for 'workshop'.

usage: python3 gen.py OUT_DIR [--seed S]
Writes the secret .in files into OUT_DIR.
"""
import os
import random
import sys

MAXN = 5 * 10**4
MAXV = 10**4


def rand_orders(rng, n, maxt, maxw):
    return [(rng.randint(1, maxt), rng.randint(1, maxw)) for _ in range(n)]


def floor_ties(rng, n):
    # Many orders whose ratios t/w share the same integer part (here 0 or 1)
    # but differ as fractions, listed in the wrong order.
    res = []
    for _ in range(n):
        w = rng.randint(50, 100)
        t = rng.randint(1, 2 * w - 1)
        res.append((t, w))
    res.sort(key=lambda p: -p[0] / p[1])
    return res


def write(out, name, orders):
    with open(os.path.join(out, name + '.in'), 'w') as f:
        f.write(f'{len(orders)}\n')
        f.write(''.join(f'{t} {w}\n' for t, w in orders))


def main():
    out = sys.argv[1]
    seed = 31415
    if '--seed' in sys.argv:
        seed = int(sys.argv[sys.argv.index('--seed') + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    write(out, '01-n1', [(7, 3)])
    write(out, '02-n2', [(3, 1), (2, 5)])
    write(out, '03-equal-ratios', [(k, 2 * k) for k in rng.sample(range(1, 40), 12)])
    write(out, '04-all-same', [(5, 5)] * 20)
    write(out, '05-small-random', rand_orders(rng, 8, 10, 10))
    write(out, '06-small-random', rand_orders(rng, 100, 100, 100))
    write(out, '07-floor-ties', floor_ties(rng, 300))
    write(out, '08-medium-random', rand_orders(rng, 1000, MAXV, MAXV))
    write(out, '09-weights-one', rand_orders(rng, 2000, MAXV, 1))
    write(out, '10-times-one', rand_orders(rng, 2000, 1, MAXV))
    write(out, '11-max-random', rand_orders(rng, MAXN, MAXV, MAXV))
    write(out, '12-max-all-max', [(MAXV, MAXV)] * MAXN)
    write(out, '13-max-small-values', rand_orders(rng, MAXN, 10, 10))
    write(out, '14-max-floor-ties', floor_ties(rng, MAXN))


if __name__ == '__main__':
    main()
