#!/usr/bin/env python3
"""Deterministic test generator for 'inversions'.

usage: python3 gen.py OUT_DIR [--seed S]
Writes the secret .in files into OUT_DIR.
"""
import os
import random
import sys

MAXN = 10**5
MAXK = 10**10


def maxinv(n):
    return n * (n - 1) // 2


def write(out, name, reqs):
    assert 1 <= len(reqs) <= 10**4 and sum(n for n, _ in reqs) <= MAXN
    assert all(1 <= n <= MAXN and 0 <= k <= MAXK for n, k in reqs)
    with open(os.path.join(out, name + '.in'), 'w') as f:
        f.write(f'{len(reqs)}\n')
        f.write(''.join(f'{n} {k}\n' for n, k in reqs))


def random_reqs(rng, count, lo, hi, impossible_share):
    reqs = []
    for _ in range(count):
        n = rng.randint(lo, hi)
        if rng.random() < impossible_share:
            k = rng.randint(maxinv(n) + 1, maxinv(n) + 10)
        else:
            k = rng.randint(0, maxinv(n))
        reqs.append((n, k))
    return reqs


def main():
    out = sys.argv[1]
    seed = 5550123
    if '--seed' in sys.argv:
        seed = int(sys.argv[sys.argv.index('--seed') + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    write(out, '01-n1', [(1, 0), (1, 1)])
    write(out, '02-n2', [(2, 0), (2, 1), (2, 2)])
    write(out, '03-exhaustive-small', [(n, k) for n in range(1, 7) for k in range(maxinv(n) + 2)])
    write(out, '04-k-max-small', [(n, maxinv(n)) for n in range(1, 40)])
    write(out, '05-small-random', random_reqs(rng, 1000, 1, 50, 0.2))
    write(out, '06-huge-k', [(n, MAXK) for n in (1, 2, 100, 1000, 100000 - 1103)])
    write(out, '07-medium-random', random_reqs(rng, 100, 500, 1000, 0.1))
    write(out, '08-max-k-max', [(MAXN, maxinv(MAXN))])
    write(out, '09-max-random-k', [(MAXN, rng.randint(10**9, maxinv(MAXN) - 1))])
    write(out, '10-max-just-impossible', [(MAXN, maxinv(MAXN) + 1)])
    write(out, '11-max-many-requests', random_reqs(rng, 10**4, 1, 18, 0.1))
    write(out, '12-large-k0', [(3 * 10**4, 0)])
    write(out, '13-large-near-max', [(4 * 10**4, maxinv(4 * 10**4) - rng.randint(1, 10**5))])


if __name__ == '__main__':
    main()
