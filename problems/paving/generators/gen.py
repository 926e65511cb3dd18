#!/usr/bin/env python3
"""Deterministic test generator for 'paving'.

usage: python3 gen.py OUT_DIR [--seed S]
Writes the secret .in files into OUT_DIR.
"""
import os
import random
import sys

MAXV = 10**9


def main():
    out = sys.argv[1]
    seed = 20240501
    if '--seed' in sys.argv:
        seed = int(sys.argv[sys.argv.index('--seed') + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    tests = []
    tests.append(('01-all-ones', (1, 1, 1)))
    tests.append(('02-tile-bigger', (3, 5, 7)))
    tests.append(('03-exact-fit', (12, 8, 4)))
    tests.append(('04-one-side-exact', (12, 9, 4)))
    tests.append(('05-small-random', (rng.randint(1, 50), rng.randint(1, 50), rng.randint(1, 10))))
    tests.append(('06-tile-max', (MAXV, MAXV, MAXV)))
    tests.append(('07-tile-max-small-yard', (1, 1, MAXV)))
    tests.append(('08-thin-strip', (MAXV, 1, 1)))
    tests.append(('09-medium-random', (rng.randint(10**4, 10**6), rng.randint(10**4, 10**6), rng.randint(1, 100))))
    tests.append(('10-large-exact', (MAXV, MAXV, 2)))
    tests.append(('11-large-random', (rng.randint(9 * 10**8, MAXV), rng.randint(9 * 10**8, MAXV), rng.randint(1, 1000))))
    tests.append(('12-large-off-by-one', (MAXV - 1, MAXV, 3)))
    tests.append(('13-max-answer', (MAXV, MAXV, 1)))
    for name, (w, h, a) in tests:
        with open(os.path.join(out, name + '.in'), 'w') as f:
            f.write(f'{w} {h} {a}\n')


if __name__ == '__main__':
    main()
