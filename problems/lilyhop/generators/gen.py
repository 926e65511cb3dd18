#!/usr/bin/env python3
"""Deterministic test generator for lilyhop: python3 gen.py OUT_DIR [--seed S]"""
import os
import random
import sys

MAXN = 200000
MAXK = 200000
LIMIT = 10 ** 6


def expectation(n, k, s):
    """Expected number of rolls (float), or None if the bank is unreachable."""
    if max(len(r) for r in s.split('.')) >= k:
        return None
    A = [0.0] * n
    S = [0.0] * n
    wa = ws = 0.0
    for i in range(n - 1, -1, -1):
        j = i + 1
        if j < n and s[j] == '.':
            wa += A[j]; ws += S[j]
        j = i + k + 1
        if j < n and s[j] == '.':
            wa -= A[j]; ws -= S[j]
        A[i] = 1.0 + wa / k
        S[i] = (max(0, i + k - n + 1) + ws) / k
    return A[0] / S[0]


def write(out, name, n, k, s, finite=None):
    assert 1 <= n <= MAXN and 1 <= k <= MAXK and len(s) == n and s[0] == '.'
    assert set(s) <= set('.#')
    e = expectation(n, k, s)
    assert e is None or 1 <= e <= LIMIT * 0.99, (name, e)
    if finite is not None:
        assert (e is not None) == finite, (name, e)
    with open(os.path.join(out, name + ".in"), "w") as f:
        f.write("%d %d\n%s\n" % (n, k, s))


def random_pads(rng, n, p, k):
    """Random slippery pads with probability p, never k in a row."""
    res = ['.']
    run = 0
    for _ in range(1, n):
        if rng.random() < p and run + 1 < k:
            res.append('#'); run += 1
        else:
            res.append('.'); run = 0
    return ''.join(res)


def tuned_prefix(rng, n, k, p, lo_target):
    """Slippery pads only in a prefix; the prefix length is the largest one
    (by binary search) keeping the expectation at most lo_target."""
    base = random_pads(rng, n, p, k)
    lo, hi = 1, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        e = expectation(n, k, base[:mid] + '.' * (n - mid))
        if e is not None and 0 < e <= lo_target:
            lo = mid
        else:
            hi = mid - 1
    return base[:lo] + '.' * (n - lo)


def blocked(rng, n, k, p, where):
    s = list(random_pads(rng, n, p, k))
    for i in range(where, where + k):
        s[i] = '#'
    return ''.join(s)


def main():
    args = sys.argv[1:]
    seed = 99991
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)

    write(out, "01-n1", 1, 1, ".", True)
    write(out, "02-n1-big-die", 1, MAXK, ".", True)
    write(out, "03-max-k1-no-slippery", MAXN, 1, "." * MAXN, True)
    write(out, "04-small-no-slippery", 10, 3, "." * 10, True)
    write(out, "05-k1-one-slippery", 5, 1, ".#...", False)
    write(out, "06-small-blocked", 12, 3, "....###.....", False)
    write(out, "07-slippery-before-bank", 10, 4, ".......###", True)
    write(out, "08-all-slippery-but-start", 5, 10, ".####", True)
    write(out, "09-all-slippery-blocked", 5, 4, ".####", False)
    write(out, "10-die-larger-than-pond", 50, 1000, random_pads(rng, 50, 0.5, 1000), True)
    write(out, "11-small-random", 20, 4, tuned_prefix(rng, 20, 4, 0.3, 1000), True)
    write(out, "12-medium-random", 5000, 50, tuned_prefix(rng, 5000, 50, 0.4, 10 ** 5), True)
    write(out, "13-large-expectation", 3000, 20, tuned_prefix(rng, 3000, 20, 0.45, 0.98 * LIMIT), True)
    write(out, "14-blocked-k100", 20000, 100, blocked(rng, 20000, 100, 0.3, 9000), False)
    write(out, "15-blocked-k777", 30000, 777, blocked(rng, 30000, 777, 0.6, 20000), False)
    s = ['.'] * MAXN
    for i in rng.sample(range(1, MAXN), 8):
        s[i] = '#'
    write(out, "16-max-few-slippery-small-die", MAXN, 6, ''.join(s), True)
    write(out, "17-max-dense-big-die", MAXN, 50000, random_pads(rng, MAXN, 0.6, 50000), True)
    write(out, "18-max-tuned", MAXN, 1000, tuned_prefix(rng, MAXN, 1000, 0.5, 0.98 * LIMIT), True)
    write(out, "19-max-blocked", MAXN, 3000, blocked(rng, MAXN, 3000, 0.5, 150000), False)
    write(out, "20-max-no-slippery-huge-die", MAXN, MAXK, "." * MAXN, True)


if __name__ == "__main__":
    main()
