#!/usr/bin/env python3
"""Deterministic test generator for 'stairs'.

usage: python3 gen.py OUT_DIR [--seed S]
Writes the secret .in files into OUT_DIR.
"""
import os
import random
import sys

MAXN = 10**6
MAXM = 10**5


def write(out, name, n, k, broken):
    broken = sorted(set(broken))
    assert all(1 <= b <= n for b in broken) and 1 <= k <= n
    with open(os.path.join(out, name + '.in'), 'w') as f:
        f.write(f'{n} {k} {len(broken)}\n')
        f.write(' '.join(map(str, broken)) + '\n')


def main():
    out = sys.argv[1]
    seed = 1009
    if '--seed' in sys.argv:
        seed = int(sys.argv[sys.argv.index('--seed') + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    write(out, '01-n1', 1, 1, [])
    write(out, '02-n1-top-broken', 1, 1, [1])
    write(out, '03-blocked-gap', 10, 3, [3, 4, 5])
    write(out, '04-small-no-broken', 12, 3, [])
    write(out, '05-small-random', 20, 4, rng.sample(range(1, 20), 5))
    write(out, '06-top-broken', 1000, 7, rng.sample(range(1, 1000), 50) + [1000])
    write(out, '07-k-equals-n', 60, 60, [])
    write(out, '08-all-but-top-broken', 30, 30, range(1, 30))
    write(out, '09-medium-random', 10**5, 100, rng.sample(range(1, 10**5), 10**4))
    write(out, '10-max-k1', MAXN, 1, [])
    write(out, '11-max-k-equals-n', MAXN, MAXN, [])
    write(out, '12-max-k2', MAXN, 2, [])
    write(out, '13-max-random', MAXN, 1000, rng.sample(range(1, MAXN), 5 * 10**4))
    write(out, '14-max-top-broken', MAXN, 10**5, rng.sample(range(1, MAXN), 10**4) + [MAXN])
    write(out, '15-max-dense-broken', MAXN, 25, rng.sample(range(1, MAXN), MAXM))
    write(out, '16-max-large-k', MAXN, rng.randint(4 * 10**5, 6 * 10**5), rng.sample(range(1, MAXN), 2 * 10**4))


if __name__ == '__main__':
    main()
