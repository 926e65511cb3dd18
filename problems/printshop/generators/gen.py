#!/usr/bin/env python3
"""Deterministic test generator for 'printshop'.

usage: python3 gen.py OUT_DIR [--seed S]
Writes the secret .in files into OUT_DIR.
"""
import os
import random
import sys

MAXN = 5 * 10**4
MAXM = 10**9
MAXT = 10**9


def write(out, name, m, ts):
    with open(os.path.join(out, name + '.in'), 'w') as f:
        f.write(f'{len(ts)} {m}\n')
        f.write(' '.join(map(str, ts)) + '\n')


def main():
    out = sys.argv[1]
    seed = 4242
    if '--seed' in sys.argv:
        seed = int(sys.argv[sys.argv.index('--seed') + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    write(out, '01-n1-m1', 1, [5])
    write(out, '02-n1-max-answer', MAXM, [MAXT])
    write(out, '03-m1', 1, [rng.randint(2, 100) for _ in range(50)])
    write(out, '04-small-random', rng.randint(1, 30), [rng.randint(1, 10) for _ in range(4)])
    write(out, '05-small-random', rng.randint(50, 500), [rng.randint(1, 100) for _ in range(20)])
    write(out, '06-equal-printers', 999, [7] * 10)
    write(out, '07-one-fast-many-slow', 10**6, [1] + [MAXT] * 100)
    write(out, '08-medium-random', rng.randint(10**5, 10**7), [rng.randint(1, 10**6) for _ in range(1000)])
    write(out, '09-three-slow', MAXM, [MAXT, MAXT, MAXT - 1])
    write(out, '10-max-all-fast', MAXM, [1] * MAXN)
    write(out, '11-max-small-t', MAXM, [rng.randint(1, 10) for _ in range(MAXN)])
    write(out, '12-max-random', MAXM, [rng.randint(1, MAXT) for _ in range(MAXN)])
    write(out, '13-max-half-fast', MAXM, [rng.choice((1, MAXT)) for _ in range(MAXN)])
    write(out, '14-max-slow', MAXM, [rng.randint(MAXT - 1000, MAXT) for _ in range(MAXN)])
    write(out, '15-max-random-m', rng.randint(1, MAXM), [rng.randint(1, 10**5) for _ in range(MAXN)])


if __name__ == '__main__':
    main()
